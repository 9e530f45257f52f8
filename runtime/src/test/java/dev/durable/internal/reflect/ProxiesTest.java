package dev.durable.internal.reflect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ProxiesTest {
  interface PackagePrivate {
    String name();
  }

  @Test
  void makesTheProxyProxyWouldMakeWithoutAskingItEachTime() {
    InvocationHandler handler = (proxy, method, args) -> "from " + method.getName();
    @SuppressWarnings("unchecked")
    Supplier<String> direct = Proxies.newProxy(Supplier.class, handler);
    assertTrue(Proxies.hasDirectConstructor(Supplier.class), "a public interface's proxy class is made directly");
    assertEquals("from get", direct.get());
    assertTrue(Proxy.isProxyClass(direct.getClass()));
    assertSame(handler, Proxy.getInvocationHandler(direct), "stubs are found again through their handler");
    Object viaProxy = Proxy.newProxyInstance(Supplier.class.getClassLoader(), new Class<?>[] {Supplier.class}, handler);
    assertSame(viaProxy.getClass(), direct.getClass(), "the same proxy class as Proxy's");
  }

  @Test
  void aPackagePrivateInterfaceWorksToo() {
    PackagePrivate p = Proxies.newProxy(PackagePrivate.class, (proxy, method, args) -> "hidden");
    assertEquals("hidden", p.name());
    assertSame(Proxy.newProxyInstance(PackagePrivate.class.getClassLoader(), new Class<?>[] {PackagePrivate.class},
        (proxy, method, args) -> null).getClass(), p.getClass());
  }

  @Test
  void badInputFailsAsProxyFails() {
    assertThrows(NullPointerException.class, () -> Proxies.newProxy(Supplier.class, null));
    assertThrows(IllegalArgumentException.class, () -> Proxies.newProxy(String.class, (proxy, method, args) -> null));
  }
}
