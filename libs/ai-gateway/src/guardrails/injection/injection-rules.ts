/**
 * The prompt-injection rules, grouped by family. Each family lives in its own file (they are
 * long); this module puts them together in one list the detector runs, in a fixed order.
 *
 * Weights say how sure one match makes us, alone, that the text attacks the assistant; the
 * detector combines them (1 − Π(1 − w)). A rule that is as often innocent as not (a role
 * label, `rm -rf /` in a sysadmin question) weighs under the threshold so it decides nothing
 * alone. `toolWeight` applies to tool results (documents, web pages): higher where the text
 * addresses the assistant, lower where documentation says the same thing innocently.
 */
import { INJECTION_FAMILIES } from './injection-rule-kit';
import type { InjectionFamily, InjectionRule } from './injection-rule-kit';
import { EXFILTRATION_RULES } from './injection-rules-exfil';
import { INDIRECT_RULES } from './injection-rules-indirect';
import { DELIMITER_RULES } from './injection-rules-delimiter';
import { ENCODING_RULES } from './injection-rules-encoding';
import { EXTRACTION_RULES } from './injection-rules-extraction';
import { AUTHORITY_RULES } from './injection-rules-authority';
import { COOCCURRENCE_RULES } from './injection-rules-cooccur';
import { OVERRIDE_RULES } from './injection-rules-override';
import { PERSONA_RULES } from './injection-rules-personas';
import { ROLEPLAY_RULES } from './injection-rules-roleplay';
import { TOOL_RULES } from './injection-rules-tools';

export { INJECTION_FAMILIES };
export type { InjectionChannel, InjectionFamily, InjectionRule } from './injection-rule-kit';

/** Every rule, as written (files by family; the sentence-level rules of several families). */
const ALL_RULES: readonly InjectionRule[] = [
  ...OVERRIDE_RULES,
  ...AUTHORITY_RULES,
  ...ROLEPLAY_RULES,
  ...PERSONA_RULES,
  ...EXTRACTION_RULES,
  ...DELIMITER_RULES,
  ...ENCODING_RULES,
  ...INDIRECT_RULES,
  ...EXFILTRATION_RULES,
  ...TOOL_RULES,
  ...COOCCURRENCE_RULES,
];

const of = (family: InjectionFamily) => ALL_RULES.filter((r) => r.family === family);

/** Every rule, by family. */
export const RULES_BY_FAMILY: Readonly<Record<InjectionFamily, readonly InjectionRule[]>> = {
  instruction_override: of('instruction_override'),
  roleplay_jailbreak: of('roleplay_jailbreak'),
  system_prompt_extraction: of('system_prompt_extraction'),
  delimiter_injection: of('delimiter_injection'),
  encoding_obfuscation: of('encoding_obfuscation'),
  indirect_injection: of('indirect_injection'),
  data_exfiltration: of('data_exfiltration'),
  tool_misuse: of('tool_misuse'),
};

/** Every rule, in family order. */
export const INJECTION_RULES: readonly InjectionRule[] = INJECTION_FAMILIES.flatMap(
  (family) => RULES_BY_FAMILY[family],
);

/**
 * Weights of the signals the detector derives from the normalization itself (family
 * `encoding_obfuscation`): hiding a matched instruction is a bonus on top of the instruction;
 * the disguise alone weighs little, as benign text has soft hyphens and foreign words.
 */
export const OBFUSCATION_WEIGHTS = {
  /** A rule matched only once the text was decoded or de-disguised. */
  hidden: 0.45,
  /** Invisible characters inside words: 1, 3, 10 or more. */
  invisibleInWords: [0.15, 0.3, 0.4],
  /** Text smuggled in Unicode tag characters (invisible ASCII). */
  tagPayload: 0.5,
  /** Words mixing Latin letters with Cyrillic/Greek look-alikes: 1, 3 or more. */
  mixedScript: [0.15, 0.3],
  /** Fullwidth or mathematical letters (NFKC reads them; plain text rarely has them). */
  compatLetters: 0.15,
} as const;
