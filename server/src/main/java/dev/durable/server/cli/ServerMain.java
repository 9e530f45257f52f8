package dev.durable.server.cli; public final class ServerMain { public static void main(String[] a) {} }
