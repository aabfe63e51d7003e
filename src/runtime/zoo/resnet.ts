/**
 * The `resnet` model family: ResNet-style image classifiers with the real topologies of torchvision's
 * resnet18 … resnet152 (stem conv 7×7/2 + max pool 3×3/2, four stages, global average pool, fully
 * connected layer, softmax), BatchNorm folded into the convolutions' weights and biases. The weights are
 * random (He-normal from a seeded stream), so the models compute like the real ones but classify nothing;
 * their accuracy figures are the published ones of the matching architectures, stated as nominal.
 */
import { GraphBuilder, type ModelCompute } from './graph-builder.js';
import type { OnnxModel } from './onnx-model.js';

export const RESNET_VARIANTS = ['resnet18', 'resnet34', 'resnet50', 'resnet101', 'resnet152'] as const;
export type ResnetVariant = (typeof RESNET_VARIANTS)[number];

export const ZOO_SCALES = ['tiny', 'full'] as const;
/** `full`: the real widths and ImageNet shapes; `tiny`: 1/8 of the widths on 32×32 images, for tests and demos. */
export type ZooScale = (typeof ZOO_SCALES)[number];

export interface ZooScaleSpec {
  /** Channels of the stem and of the first stage's 3×3 convolutions (64 in the real networks). */
  readonly baseWidth: number;
  /** Input height and width in pixels (3 channels). */
  readonly imageSize: number;
  readonly classes: number;
}

export const ZOO_SCALE_SPECS: Readonly<Record<ZooScale, ZooScaleSpec>> = {
  tiny: { baseWidth: 8, imageSize: 32, classes: 10 },
  full: { baseWidth: 64, imageSize: 224, classes: 1000 },
};

interface ResnetArchitecture {
  readonly block: 'basic' | 'bottleneck';
  /** Residual blocks per stage. */
  readonly depths: readonly [number, number, number, number];
  /** torchvision IMAGENET1K_V1 top-1 accuracy of the architecture. */
  readonly top1: number;
}

export const RESNET_ARCHITECTURES: Readonly<Record<ResnetVariant, ResnetArchitecture>> = {
  resnet18: { block: 'basic', depths: [2, 2, 2, 2], top1: 0.69758 },
  resnet34: { block: 'basic', depths: [3, 4, 6, 3], top1: 0.73314 },
  resnet50: { block: 'bottleneck', depths: [3, 4, 6, 3], top1: 0.7613 },
  resnet101: { block: 'bottleneck', depths: [3, 4, 23, 3], top1: 0.77374 },
  resnet152: { block: 'bottleneck', depths: [3, 8, 36, 3], top1: 0.78312 },
};

export const RESNET_INPUT = 'input';
export const RESNET_OUTPUT = 'probabilities';

/**
 * Scale of the last convolution of every residual branch. A small residual keeps the activations' scale
 * nearly constant through 50 blocks (the role zero-initialised BatchNorm gammas play in training), so even
 * resnet152 with random weights outputs finite, non-degenerate probabilities.
 */
const RESIDUAL_SCALE = 0.1;

/** Bottleneck blocks widen their output fourfold. */
const BOTTLENECK_EXPANSION = 4;

/** Where a variant's accuracy figure comes from. */
export function resnetAccuracySource(variant: ResnetVariant): string {
  return `nominal: published torchvision ${variant} (IMAGENET1K_V1) ImageNet top-1; the generated weights are random, so the model itself classifies at chance`;
}

function buildGraph(variant: ResnetVariant, scale: ZooScale, seed: number): GraphBuilder {
  const arch = RESNET_ARCHITECTURES[variant];
  const spec = ZOO_SCALE_SPECS[scale];
  const g = new GraphBuilder(variant, seed);
  let x = g.input(RESNET_INPUT, [3, spec.imageSize, spec.imageSize]);
  x = g.relu(
    g.conv(x, { name: 'conv1', outChannels: spec.baseWidth, kernel: 7, stride: 2, pad: 3 }),
    'relu1',
  );
  x = g.maxPool(x, { name: 'maxpool', kernel: 3, stride: 2, pad: 1 });
  arch.depths.forEach((blocks, stage) => {
    const width = spec.baseWidth * 2 ** stage;
    for (let i = 0; i < blocks; i++) {
      const stride = stage > 0 && i === 0 ? 2 : 1;
      const name = `layer${stage + 1}.${i}`;
      x =
        arch.block === 'basic'
          ? basicBlock(g, x, name, width, stride)
          : bottleneckBlock(g, x, name, width, stride);
    }
  });
  x = g.flatten(g.globalAveragePool(x, 'avgpool'), 'flatten');
  x = g.softmax(g.gemm(x, { name: 'fc', outFeatures: spec.classes }), RESNET_OUTPUT);
  g.output(x);
  return g;
}

/** The identity, or a strided 1×1 convolution when the block changes the resolution or the width. */
function shortcut(g: GraphBuilder, x: string, name: string, outChannels: number, stride: number): string {
  if (stride === 1 && g.shapeOf(x)[0] === outChannels) return x;
  return g.conv(x, { name: `${name}.downsample`, outChannels, kernel: 1, stride, pad: 0 });
}

function basicBlock(g: GraphBuilder, x: string, name: string, width: number, stride: number): string {
  let y = g.relu(
    g.conv(x, { name: `${name}.conv1`, outChannels: width, kernel: 3, stride }),
    `${name}.relu1`,
  );
  y = g.conv(y, { name: `${name}.conv2`, outChannels: width, kernel: 3, weightScale: RESIDUAL_SCALE });
  return g.relu(g.add(y, shortcut(g, x, name, width, stride), `${name}.add`), `${name}.relu`);
}

/** torchvision's "ResNet v1.5" bottleneck: the stride sits on the 3×3 convolution. */
function bottleneckBlock(g: GraphBuilder, x: string, name: string, width: number, stride: number): string {
  const out = width * BOTTLENECK_EXPANSION;
  let y = g.relu(g.conv(x, { name: `${name}.conv1`, outChannels: width, kernel: 1 }), `${name}.relu1`);
  y = g.relu(g.conv(y, { name: `${name}.conv2`, outChannels: width, kernel: 3, stride }), `${name}.relu2`);
  y = g.conv(y, { name: `${name}.conv3`, outChannels: out, kernel: 1, weightScale: RESIDUAL_SCALE });
  return g.relu(g.add(y, shortcut(g, x, name, out, stride), `${name}.add`), `${name}.relu`);
}

/**
 * A ResNet variant as an ONNX model: input `input` FP32 [N, 3, S, S], output `probabilities` FP32
 * [N, classes] (rows sum to 1). Weights depend only on `seed` and are produced when the model is encoded.
 */
export function buildResnet(variant: ResnetVariant, scale: ZooScale, seed: number): OnnxModel {
  const spec = ZOO_SCALE_SPECS[scale];
  const doc =
    `Sluice zoo ${variant}, ${scale} scale (base width ${spec.baseWidth}, 3x${spec.imageSize}x${spec.imageSize} input, ` +
    `${spec.classes} classes), seed ${seed}. Random He-normal weights, BatchNorm folded into conv biases: not trained.`;
  return buildGraph(variant, scale, seed).build(doc);
}

/** Parameters and multiply-accumulates of one inference (batch 1) of a variant, counted from its graph. */
export function resnetCompute(variant: ResnetVariant, scale: ZooScale): ModelCompute {
  return buildGraph(variant, scale, 0).compute();
}

export function isResnetVariant(name: string): name is ResnetVariant {
  return (RESNET_VARIANTS as readonly string[]).includes(name);
}
