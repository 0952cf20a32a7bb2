/**
 * `npm run build` step: trains the classifier on intents/training/ and the intents' examples and
 * writes dist/model.json, stamped with a hash of what it was trained on, and dist/pinyin.json, the
 * pinyin of every Chinese name and term the analyzer read.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MODEL_PATH, trainingQuestions, trainModel } from './understand/classifier.js';
import { CALIBRATION_PATH, fitFile } from './understand/calibrate.js';
import { answer } from './answer/answer.js';
import { hantTable } from './answer/hant.js';
import { isAlongside, loadIntents } from './answer/intents.js';
import { saveHomophones, savePinyin } from './understand/pinyin.js';
import { registry } from './answer/registry.js';
import { STRINGS } from './slack/strings.js';
import { saveTraditional } from './understand/traditional.js';
import type { DeregisterKind, Understanding } from './types.js';
import { analyzer, emptyUnderstanding } from './understand/understand.js';
import { currentStamp, writeStamp } from './fingerprint.js';
import { DATA_DIR, INTENTS_DIR } from './paths.js';
import { keepChecked, writeYamlCache } from './answer/yaml-cache.js';

const started = performance.now();
// Taken first: a file changed while this build runs makes the next check build again.
const stamp = currentStamp();
// What each data file validates to, as the loaders below validate it, goes into dist/yaml-cache.json.
keepChecked();
const syllables = saveHomophones();
const questions = trainingQuestions();
const model = trainModel(analyzer(), questions);
mkdirSync(dirname(MODEL_PATH), { recursive: true });
writeFileSync(MODEL_PATH, JSON.stringify(model.toFile()));
const calibration = fitFile(analyzer(), model);
writeFileSync(CALIBRATION_PATH, JSON.stringify(calibration));
const spellings = savePinyin();

// Every Chinese answer the bot can give, in Traditional once: the running bot then never loads OpenCC.
const provinces = [null, ...registry().provinces.map((p) => p.id)];
const kinds: (DeregisterKind | null)[] = [null, 'entity', 'site', 'access'];
const intents = ['fallback', 'console_password', ...loadIntents().intents.map((i) => i.intent)];
for (const intent of intents) {
  for (const province of provinces) {
    for (const kind of intent === 'deregister' ? kinds : [null]) {
      for (const confirm of intent === 'forgot_password' ? [false, true] : [false]) {
        const u: Understanding = {
          text: '',
          intent,
          confidence: 1,
          confirm,
          province,
          candidates: [],
          recordNumber: null,
          kind,
          lang: 'zh',
          traditional: true,
        };
        answer(u);
      }
    }
  }
}
// …and every question back between two readings (or the three core ones), and the "另外" heading.
const offerable = loadIntents()
  .intents.filter(isAlongside)
  .map((i) => i.intent);
const zh: Understanding = {
  ...emptyUnderstanding(''),
  intent: 'deregister',
  confidence: 1,
  lang: 'zh',
  traditional: true,
};
answer({ ...zh, options: ['deregister', 'forgot_password', 'lost_record_number'] });
for (const a of offerable) for (const b of offerable) if (a !== b) answer({ ...zh, intent: a, options: [a, b] });
answer({ ...zh, province: 'beijing', also: [{ intent: 'fees', province: null }] });
const converted = saveTraditional(Object.values(STRINGS.zh));
const yamlFiles = [DATA_DIR, INTENTS_DIR].flatMap((dir) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => join(dir, f)),
);
// The answers' reviewed Traditional texts are validated too, though no answer above may have read them.
hantTable();
const parsedYaml = writeYamlCache(yamlFiles);
writeStamp(stamp);
const ms = Math.round(performance.now() - started);
process.stdout.write(
  `dist/model.json: ${questions.length} questions, ${model.toFile().features.length} features; dist/calibration.json: ${Object.keys(calibration.steps).length} groups; dist/pinyin.json: ${spellings} spellings; dist/traditional.json: ${converted} texts; dist/homophones.json: ${syllables} syllables; dist/yaml-cache.json: ${parsedYaml.files} files, ${parsedYaml.checked} validated; ${ms} ms\n`,
);
