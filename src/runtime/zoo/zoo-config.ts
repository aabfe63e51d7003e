/**
 * The `config.yaml` files of the zoo's modules (format: docs/model-repository.md). Written as text rather
 * than through a YAML serialiser so they keep their comments: they are what a user reads first.
 */
import {
  RESNET_ARCHITECTURES,
  RESNET_INPUT,
  RESNET_OUTPUT,
  ZOO_SCALE_SPECS,
  resnetAccuracySource,
  type ResnetVariant,
  type ZooScale,
} from './resnet.js';
import { SIMPLE_WIDTH } from './simple-model.js';

/** Folder (module name) of the ResNet family inside a repository. */
export const RESNET_MODULE = 'resnet';
/** Folder (module name) of the `simple` model; its one variant is `1`, as Triton names versions. */
export const SIMPLE_MODULE = 'simple';
export const SIMPLE_VARIANT = '1';

/** Path of a zoo model file relative to its module folder. */
export function zooModelFile(variant: string): string {
  return `${variant}/model.onnx`;
}

/** Serving defaults per scale: tiny runs in well under a millisecond per row, full in 50-400 ms on one core. */
const SERVING: Readonly<
  Record<ZooScale, { maxBatch: number; preferredBatch: number; defaultSloMs: number }>
> = {
  tiny: { maxBatch: 16, preferredBatch: 8, defaultSloMs: 100 },
  full: { maxBatch: 8, preferredBatch: 4, defaultSloMs: 1000 },
};

const quote = (text: string): string => JSON.stringify(text);

/** config.yaml of the resnet module listing `variants` (in the order given; the first is the default). */
export function resnetModuleConfig(
  scale: ZooScale,
  variants: readonly ResnetVariant[],
  seed: number,
): string {
  const spec = ZOO_SCALE_SPECS[scale];
  const serving = SERVING[scale];
  const first = variants[0];
  if (first === undefined) throw new Error('resnetModuleConfig: no variants');
  const variantLines = variants.flatMap((v) => [
    `  - name: ${v}`,
    `    file: ${zooModelFile(v)}`,
    `    accuracy: ${RESNET_ARCHITECTURES[v].top1}`,
    `    accuracySource: ${quote(resnetAccuracySource(v))}`,
  ]);
  return [
    `# Written by \`sluice zoo --scale ${scale} --seed ${seed}\`; the model files are generated, not committed.`,
    `# Same input and output for every variant, so any variant can serve any request: the planner picks`,
    `# among them by accuracy, cost and latency.`,
    `name: ${RESNET_MODULE}`,
    `description: ${quote(
      `ResNet-style image classifiers with the real topologies (${scale} scale: base width ${spec.baseWidth}, ` +
        `3x${spec.imageSize}x${spec.imageSize} input, ${spec.classes} classes) and random weights; accuracies are nominal.`,
    )}`,
    `platform: onnxruntime`,
    `maxBatch: ${serving.maxBatch}`,
    `defaultSloMs: ${serving.defaultSloMs}`,
    `inputs:`,
    `  - {name: ${RESNET_INPUT}, datatype: FP32, shape: [3, ${spec.imageSize}, ${spec.imageSize}]}`,
    `outputs:`,
    `  - {name: ${RESNET_OUTPUT}, datatype: FP32, shape: [${spec.classes}]}`,
    `variants:`,
    ...variantLines,
    `defaultVariant: ${first}`,
    `batching: {preferredBatch: ${serving.preferredBatch}, maxQueueDelayMs: 0, policy: deadline, admission: reject, maxQueueLength: 1024}`,
    `instances: {count: 1, cores: 1, intraOpThreads: 1}`,
    ``,
  ].join('\n');
}

/** config.yaml of the `simple` module. */
export function simpleModuleConfig(): string {
  return [
    `# Written by \`sluice zoo\`. Triton's quick-start model: OUTPUT0 = INPUT0 + INPUT1, OUTPUT1 = INPUT0 - INPUT1.`,
    `# Microseconds of compute, so it measures the serving path itself.`,
    `name: ${SIMPLE_MODULE}`,
    `description: "Sum and difference of two FP32 vectors of ${SIMPLE_WIDTH}."`,
    `platform: onnxruntime`,
    `maxBatch: 64`,
    `defaultSloMs: 50`,
    `inputs:`,
    `  - {name: INPUT0, datatype: FP32, shape: [${SIMPLE_WIDTH}]}`,
    `  - {name: INPUT1, datatype: FP32, shape: [${SIMPLE_WIDTH}]}`,
    `outputs:`,
    `  - {name: OUTPUT0, datatype: FP32, shape: [${SIMPLE_WIDTH}]}`,
    `  - {name: OUTPUT1, datatype: FP32, shape: [${SIMPLE_WIDTH}]}`,
    `variants:`,
    `  - name: "${SIMPLE_VARIANT}"`,
    `    file: ${zooModelFile(SIMPLE_VARIANT)}`,
    `    accuracy: 1`,
    `    accuracySource: "exact arithmetic"`,
    ``,
  ].join('\n');
}
