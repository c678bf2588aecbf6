package dev.blinkchroot.emulator.jit;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;

/**
 * Turns generated class files into running code: each region becomes a hidden class in this
 * package (so it may call the package's helpers), with its constants as class data. Hidden
 * classes are not tied to a class loader's lifetime, so a region's class is unloaded once
 * nothing refers to it (evicted or invalidated code costs nothing afterwards).
 */
final class CodeLoader {
  private static final MethodType CONSTRUCTOR = MethodType.methodType(void.class);

  private CodeLoader() {}

  /** Defines the class and creates its one instance. */
  static RegionCode load(byte[] classFile, List<Object> classData) {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup()
          .defineHiddenClassWithClassData(classFile, List.copyOf(classData), false);
      MethodHandle constructor = lookup.findConstructor(lookup.lookupClass(), CONSTRUCTOR);
      return (RegionCode) constructor.invoke();
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("loading compiled region: " + t, t);
    }
  }
}
