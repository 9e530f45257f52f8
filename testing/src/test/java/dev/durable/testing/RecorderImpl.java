package dev.durable.testing;

/** A recorder activity that echoes what it records. */
public class RecorderImpl implements Sleepers.Recorder {
  @Override
  public String record(String what) {
    return "recorded " + what;
  }
}
