package dev.durable.cli;

import picocli.CommandLine.Command;

/** {@code durable activity ...}: reports on activities that complete asynchronously. */
@Command(name = "activity", mixinStandardHelpOptions = true,
    description = "Complete, fail or heartbeat an activity that completes asynchronously (one that handed out its"
        + " task token and returned after doNotCompleteOnReturn()), or report that it stopped on a cancel request.",
    subcommands = {ActivityCompleteCommand.class, ActivityFailCommand.class, ActivityHeartbeatCommand.class,
        ActivityCancelCommand.class})
final class ActivityCommand {}
