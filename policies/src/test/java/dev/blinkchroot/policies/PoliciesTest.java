package dev.blinkchroot.policies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PoliciesTest {
  private static final Map<String, Integer> NAMES = Map.of("EACCES", 13, "ENOSYS", 38);

  private static SyscallCall call(String name) {
    return new SyscallCall(name, 0, new long[6], null, 1);
  }

  @Test
  void denying_failsTheNamedCallsWithTheirErrno_andAllowsTheRest() {
    SyscallPolicy p = Policies.denying(Map.of("unlink", 13));
    assertEquals(Decision.errno(13), p.decide(call("unlink")));
    assertEquals(Decision.ALLOW, p.decide(call("read")));
  }

  @Test
  void nameOnlyPolicies_needNoPaths_whileACustomPolicyGetsThem() {
    assertEquals(false, Policies.allowAll().needsPaths());
    assertEquals(false, Policies.denying(Map.of("unlink", 13)).needsPaths());
    SyscallPolicy custom = call -> Decision.ALLOW;
    assertEquals(true, custom.needsPaths());
  }

  @Test
  void parseDeny_acceptsNamesNumbersAndTheEpermDefault() {
    assertEquals(Map.entry("unlink", 1), Policies.parseDeny("unlink", NAMES));
    assertEquals(Map.entry("unlink", 13), Policies.parseDeny("unlink:EACCES", NAMES));
    assertEquals(Map.entry("mkdir", 38), Policies.parseDeny("mkdir:38", NAMES));
  }

  @Test
  void parseDeny_rejectsMalformedSpecsWithOneLineMessages() {
    assertEquals("unknown errno 'EBOGUS' in 'unlink:EBOGUS'", assertThrows(
        IllegalArgumentException.class, () -> Policies.parseDeny("unlink:EBOGUS", NAMES))
        .getMessage());
    assertThrows(IllegalArgumentException.class, () -> Policies.parseDeny(":13", NAMES));
    assertThrows(IllegalArgumentException.class, () -> Policies.parseDeny("read:0", NAMES));
  }
}
