package dev.durable.cli;

import picocli.CommandLine.Command;

/** {@code durable activity ...}: reports on activities that complete asynchronously. */
@Command(name = "activity", mixinStandardHelpOptions = true,
    description = "Complete or fail an activity that completes asynchronously (one that handed out its task token"
        + " and returned after doNotCompleteOnReturn()).",
    subcommands = {ActivityCompleteCommand.class, ActivityFailCommand.class})
final class ActivityCommand {}
