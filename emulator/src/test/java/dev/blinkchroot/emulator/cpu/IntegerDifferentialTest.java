package dev.blinkchroot.emulator.cpu;

import static dev.blinkchroot.emulator.difftest.RFlags.AF;
import static dev.blinkchroot.emulator.difftest.RFlags.CF;
import static dev.blinkchroot.emulator.difftest.RFlags.OF;
import static dev.blinkchroot.emulator.difftest.RFlags.PF;
import static dev.blinkchroot.emulator.difftest.RFlags.SF;
import static dev.blinkchroot.emulator.difftest.RFlags.ZF;

import dev.blinkchroot.emulator.difftest.Differential;
import dev.blinkchroot.emulator.difftest.RandomStates;
import dev.blinkchroot.emulator.difftest.Reg;
import dev.blinkchroot.emulator.difftest.Undefined;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The integer instructions against the host CPU: every form runs from seeded random states
 * (edge values included; {@code -Ddifftest.cases=N} raises the count) and registers, flags and
 * memory must match, except the flags the SDM leaves undefined for that instruction. Memory
 * forms address the data region through RDI.
 */
class IntegerDifferentialTest {
  private static final Differential DIFF = Differential.of(new InterpreterCpu());

  /** One instruction form and the flags the SDM leaves undefined for it. */
  private record Form(String asm, long undefinedFlags) {}

  private static final List<Form> FORMS = new ArrayList<>();

  private static void forms(long undefined, String... asm) {
    for (String a : asm) {
      FORMS.add(new Form(a, undefined));
    }
  }

  static {
    String[] sizes = {"al, bl", "ax, bx", "eax, ebx", "rax, rbx", "ah, cl", "sil, dil",
        "r9b, r10b", "r11w, r12w", "r13d, r14d", "r15, r8"};
    for (String alu : new String[] {"add", "adc", "sub", "sbb", "cmp"}) {
      for (String s : sizes) {
        forms(0, alu + " " + s);
      }
      forms(0, alu + " byte ptr [rdi], 0x7f", alu + " qword ptr [rdi+8], -2",
          alu + " eax, 0x80000000", alu + " dword ptr [rdi], esi", alu + " rcx, qword ptr [rdi]");
      if (!alu.equals("cmp")) {
        forms(0, "lock " + alu + " qword ptr [rdi], rbx");
      }
    }
    for (String logic : new String[] {"and", "or", "xor", "test"}) {
      for (String s : sizes) {
        forms(AF, logic + " " + s);
      }
      forms(AF, logic + " word ptr [rdi+2], 0x8001", logic + " rax, -1");
    }
    forms(0, "inc al", "inc ax", "inc eax", "inc r12", "dec bl", "dec r11d", "dec qword ptr [rdi]",
        "lock inc dword ptr [rdi]", "neg al", "neg rcx", "neg word ptr [rdi]", "not ebx",
        "not qword ptr [rdi]");
    for (String sh : new String[] {"shl", "shr", "sar"}) {
      forms(AF, sh + " al, 1", sh + " rax, 1");
      forms(AF | OF, sh + " bl, cl", sh + " bx, cl", sh + " ebx, cl", sh + " rbx, cl",
          sh + " eax, 7", sh + " dword ptr [rdi], 31", sh + " r8, 63", sh + " r9d, 0");
    }
    for (String rot : new String[] {"rol", "ror", "rcl", "rcr"}) {
      forms(0, rot + " al, 1", rot + " rdx, 1");
      forms(OF, rot + " dl, cl", rot + " dx, cl", rot + " edx, cl", rot + " rdx, cl",
          rot + " esi, 13", rot + " byte ptr [rdi], 9");
    }
    forms(AF | OF, "shld eax, ebx, 5", "shld rax, rbx, cl", "shrd ecx, edx, 31", "shrd rcx, rdx, cl",
        "shld ax, bx, 3", "shrd dx, si, 15");
    forms(SF | ZF | AF | PF, "mul bl", "mul cx", "mul ecx", "mul rcx", "imul bl", "imul rcx",
        "imul eax, ebx", "imul rax, qword ptr [rdi]", "imul ecx, edx, -7", "imul r8, r9, 0x12345");
    forms(CF | OF | SF | ZF | AF | PF, "div bl", "div cx", "div ecx", "div rcx", "idiv bl",
        "idiv cx", "idiv ecx", "idiv rcx");
    forms(0, "mov eax, ebx", "mov al, bh", "mov r8w, r9w", "mov qword ptr [rdi], rax",
        "mov rbx, qword ptr [rdi+16]", "movabs rax, 0x1122334455667788", "movzx eax, bl",
        "movzx rax, word ptr [rdi]", "movsx ecx, dl", "movsx rcx, word ptr [rdi]", "movsxd rax, ebx",
        "lea rax, [rbx+rcx*4+0x10]", "lea eax, [rbx+rcx*8-1]", "xchg rax, rbx", "xchg ecx, edx",
        "xchg qword ptr [rdi], rsi", "bswap eax", "bswap r10", "cbw", "cwde", "cdqe", "cwd", "cdq",
        "cqo", "lahf", "movbe eax, dword ptr [rdi]", "movbe qword ptr [rdi], rcx");
    forms(0, "xadd rax, rbx", "xadd byte ptr [rdi], cl", "lock xadd qword ptr [rdi], rdx",
        "cmpxchg rbx, rcx", "cmpxchg dword ptr [rdi], esi", "lock cmpxchg qword ptr [rdi], rdx",
        "cmpxchg8b qword ptr [rdi]", "lock cmpxchg16b xmmword ptr [rdi]");
    forms(OF | SF | AF | PF, "bt eax, ebx", "bt rax, 63", "bts rcx, rdx", "btr ecx, 5",
        "btc qword ptr [rdi], 33", "bts dword ptr [rdi+64], ebx", "lock btr qword ptr [rdi+64], rbx");
    forms(CF | OF | SF | AF | PF, "bsf eax, ebx", "bsf rax, rbx", "bsr ecx, edx", "bsr rcx, rdx");
    forms(OF | SF | AF | PF, "lzcnt eax, ebx", "lzcnt rax, rbx", "tzcnt cx, dx", "tzcnt rcx, rdx");
    forms(0, "popcnt eax, ebx", "popcnt rax, qword ptr [rdi]", "crc32 eax, bl", "crc32 eax, ebx",
        "crc32 rax, rbx", "crc32 eax, word ptr [rdi]");
    forms(AF | PF, "andn rax, rbx, rcx", "blsi eax, ebx", "blsmsk rax, rbx", "blsr ecx, edx",
        "bzhi rax, rbx, rcx");
    forms(AF | SF | PF, "bextr eax, ebx, ecx", "bextr rax, rbx, rcx");
    forms(0, "pdep rax, rbx, rcx", "pext eax, ebx, ecx", "rorx rax, rbx, 13", "sarx eax, ebx, ecx",
        "shlx rax, rbx, rcx", "shrx rax, rbx, rcx", "mulx rax, rbx, rcx", "adcx rax, rbx",
        "adox eax, ebx");
    forms(0, "setb al", "setnle bl", "setp byte ptr [rdi]", "cmovz eax, ebx", "cmovnz eax, ebx",
        "cmovl rax, qword ptr [rdi]", "cmovbe cx, dx", "clc", "stc", "cmc", "sahf");
    forms(0, "push rax; pop rbx", "push qword ptr [rdi]; pop qword ptr [rdi+8]", "push -5; pop rcx",
        "pushfq; pop rax",
        // Only status flags: a random TF or AC would trap in the host harness itself.
        "and ebx, 0x8d5; push rbx; popfq", "enter 0x20, 0; leave", "enter 16, 3; leave",
        "call 1f; 1: pop rax", "jmp 1f; mov eax, 1; 1:", "cmp eax, ebx; jl 1f; mov ecx, 7; 1:",
        "mov ecx, 5; 1: inc eax; loop 1b", "xor ecx, ecx; jrcxz 1f; inc eax; 1:",
        "lea rax, [rip+1f]; jmp rax; ud2; 1:", "lea rax, [rip+1f]; push rax; ret; ud2; 1:",
        "lea rax, [rip+1f]; push rax; push rax; push rax; ret 16; ud2; 1:",
        "mov rax, qword ptr [rbp+8]", "push qword ptr [rsp+8]; pop rax");
    forms(0, "cld; mov ecx, 40; rep movsb", "cld; mov ecx, 9; rep movsq", "std; mov ecx, 5; rep movsd; cld",
        "cld; mov ecx, 100; rep stosb", "cld; mov ecx, 13; rep stosq", "cld; lodsb; lodsq",
        "cld; mov ecx, 64; repne scasb", "cld; mov ecx, 16; repe cmpsb", "cld; movsw; stosd; scasq");
  }

  /**
   * Memory forms point RDI, RSI and RBP into the data region (elsewhere the host harness's own
   * memory would be read); string forms use RSI and RDI too. RBP stays random for forms that do
   * not address through it, so ENTER also meets non-canonical frame pointers (#SS).
   */
  private static RandomStates states(Form form) {
    RandomStates s = RandomStates.forForm(form.asm());
    String a = form.asm();
    if (a.contains("rbp+")) {
      return s.pointers(16, 2048, Reg.RDI, Reg.RSI, Reg.RBP);
    }
    if (a.contains("[") || a.contains("movs") || a.contains("stos") || a.contains("lods")
        || a.contains("scas") || a.contains("cmps")) {
      s = s.pointers(16, 2048, Reg.RDI, Reg.RSI);
    }
    return s;
  }

  @TestFactory
  Stream<DynamicTest> integerForms_matchTheHostCpu() {
    return FORMS.stream().map(form -> DynamicTest.dynamicTest(form.asm(),
        () -> DIFF.check(form.asm(), Undefined.flags(form.undefinedFlags()), states(form))));
  }
}
