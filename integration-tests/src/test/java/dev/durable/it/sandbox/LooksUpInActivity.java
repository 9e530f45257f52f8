package dev.durable.it.sandbox;

import dev.durable.activity.ActivityInterface;
import dev.durable.activity.ActivityOptions;
import dev.durable.common.RetryOptions;
import dev.durable.workflow.Workflow;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;

/**
 * A workflow whose activity looks up a host name, the argument, in the ways workflow code must not.
 * The agent rewrites the activity's class like any other, with the same checks before each lookup;
 * on an activity thread they let the lookups through.
 */
public class LooksUpInActivity implements StringWorkflow {
  /** The activity. */
  @ActivityInterface
  public interface Lookup {
    /** Returns the name, then whether each lookup of it found a loopback address. */
    String lookUp(String host);
  }

  /** The activity implementation. */
  public static final class LookupImpl implements Lookup {
    @Override
    public String lookUp(String host) {
      try {
        InetAddress address = InetAddress.getByName(host);
        boolean allLoopback = Arrays.stream(InetAddress.getAllByName(host)).allMatch(InetAddress::isLoopbackAddress);
        InetSocketAddress socketAddress = new InetSocketAddress(host, 80);
        return address.getHostName() + " " + address.isLoopbackAddress() + " " + allLoopback + " "
            + socketAddress.getAddress().isLoopbackAddress();
      } catch (UnknownHostException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  // One attempt: a failed lookup fails the workflow at once instead of being retried until the test gives up.
  private final Lookup lookup = Workflow.newActivityStub(Lookup.class, ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofMinutes(1))
      .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
      .build());

  @Override
  public String run(String host) {
    return lookup.lookUp(host);
  }
}
