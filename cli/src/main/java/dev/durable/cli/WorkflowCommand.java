package dev.durable.cli;

import picocli.CommandLine.Command;

/** {@code durable workflow ...}: the commands on workflows. */
@Command(name = "workflow", mixinStandardHelpOptions = true,
    description = "Start, list, count, describe, show, signal, query, cancel, terminate and delete workflows, and"
        + " wait for results.",
    subcommands = {StartCommand.class, ListCommand.class, DescribeCommand.class, ShowCommand.class,
        SignalCommand.class, QueryCommand.class, CancelCommand.class, TerminateCommand.class, ResultCommand.class,
        CountCommand.class, DeleteCommand.class, ResetCommand.class, ScheduleCommand.Pause.class,
        ScheduleCommand.Resume.class})
final class WorkflowCommand {}
