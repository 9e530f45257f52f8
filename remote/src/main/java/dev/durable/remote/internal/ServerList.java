package dev.durable.remote.internal;

import dev.durable.internal.service.HostPort;
import io.grpc.Attributes;
import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.Status;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The addresses of a server and its standbys, for a channel whose load balancing picks the first
 * address that accepts a connection (gRPC's default, {@code pick_first}): calls go to the active
 * server, whose standbys keep their ports closed, and after it goes to the standby that took over.
 * Each address keeps its own host name as its authority, so TLS checks each server's certificate
 * against its own name. Host names are resolved again whenever the channel reconnects.
 */
final class ServerList extends NameResolver.Factory {
  /** The target's scheme; the channel is built for {@code durable-servers:///}. */
  static final String SCHEME = "durable-servers";

  private final List<String> addresses;

  /** @param addresses {@code host:port} each, in the order to try them */
  ServerList(List<String> addresses) {
    this.addresses = List.copyOf(addresses);
  }

  @Override
  public String getDefaultScheme() {
    return SCHEME;
  }

  @Override
  public NameResolver newNameResolver(URI target, NameResolver.Args args) {
    return SCHEME.equals(target.getScheme()) ? new Resolver(args) : null;
  }

  private final class Resolver extends NameResolver {
    private final Args args;
    private Listener2 listener;
    private boolean resolving;
    private boolean shutdown;

    Resolver(Args args) {
      this.args = args;
    }

    @Override
    public String getServiceAuthority() {
      return addresses.get(0);
    }

    @Override
    public void start(Listener2 listener) {
      this.listener = listener;
      resolve();
    }

    @Override
    public void refresh() {
      resolve();
    }

    /** Looks the host names up off the channel's synchronization context, which must not block. */
    private void resolve() {
      if (resolving || shutdown) {
        return;
      }
      resolving = true;
      args.getOffloadExecutor().execute(() -> {
        List<EquivalentAddressGroup> groups = new ArrayList<>();
        for (String address : addresses) {
          HostPort hp = HostPort.parse("address", address);
          InetSocketAddress resolved = new InetSocketAddress(hp.host(), hp.port()); // a DNS lookup
          if (!resolved.isUnresolved()) {
            groups.add(new EquivalentAddressGroup(resolved,
                Attributes.newBuilder().set(EquivalentAddressGroup.ATTR_AUTHORITY_OVERRIDE, address).build()));
          }
        }
        args.getSynchronizationContext().execute(() -> {
          resolving = false;
          if (shutdown) {
            return;
          }
          if (groups.isEmpty()) {
            listener.onError(Status.UNAVAILABLE.withDescription("none of the servers' host names resolves: "
                + String.join(",", addresses)));
          } else {
            listener.onResult(ResolutionResult.newBuilder().setAddresses(groups).build());
          }
        });
      });
    }

    @Override
    public void shutdown() {
      shutdown = true;
    }
  }
}
