package dev.durable.examples.approval;

/**
 * An expense claim.
 *
 * @param id the claim's id, also the workflow id
 * @param employee who spent the money
 * @param cents how much, in cents
 */
public record Expense(String id, String employee, long cents) {}
