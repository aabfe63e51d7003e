// Compute of the zoo's ResNets, counted from the graphs: grows with depth, and at full scale matches the
// published figures of the real architectures (so the topologies are the real ones). No timing here.
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../src/runtime/zoo/graph-builder.js';
import { RESNET_VARIANTS, ZOO_SCALES, buildResnet, resnetCompute } from '../../src/runtime/zoo/resnet.js';

/** torchvision's published GMACs ("GFLOPS" in its tables) and parameter counts (with BatchNorm). */
const PUBLISHED = {
  resnet18: { gmacs: 1.81, params: 11_689_512 },
  resnet34: { gmacs: 3.66, params: 21_797_672 },
  resnet50: { gmacs: 4.09, params: 25_557_032 },
  resnet101: { gmacs: 7.8, params: 44_549_160 },
  resnet152: { gmacs: 11.51, params: 60_192_808 },
} as const;

describe('resnetCompute', () => {
  it.each(ZOO_SCALES)('params and MACs strictly increase resnet18 < 34 < 50 < 101 < 152 (%s)', (scale) => {
    const computes = RESNET_VARIANTS.map((v) => resnetCompute(v, scale));
    for (let i = 1; i < computes.length; i++) {
      expect(computes[i]!.macs).toBeGreaterThan(computes[i - 1]!.macs);
      expect(computes[i]!.params).toBeGreaterThan(computes[i - 1]!.params);
    }
  });

  it.each(RESNET_VARIANTS)('full-scale %s matches the published MACs and parameters', (variant) => {
    const { macs, params } = resnetCompute(variant, 'full');
    expect(macs / 1e9 / PUBLISHED[variant].gmacs).toBeCloseTo(1, 2);
    // Folding BatchNorm replaces its two per-channel parameters by one conv bias: slightly fewer.
    expect(params).toBeLessThan(PUBLISHED[variant].params);
    expect(params / PUBLISHED[variant].params).toBeGreaterThan(0.99);
  });

  it('tiny scale is at least 100x cheaper than full, at the same depth', () => {
    for (const v of RESNET_VARIANTS)
      expect(resnetCompute(v, 'full').macs / resnetCompute(v, 'tiny').macs).toBeGreaterThan(100);
  });

  it('counts parameters from the initializers of the built graph', () => {
    const model = buildResnet('resnet50', 'tiny', 1);
    const params = model.graph.initializers.reduce((sum, t) => sum + t.dims.reduce((p, d) => p * d, 1), 0);
    expect(params).toBe(resnetCompute('resnet50', 'tiny').params);
    expect(new Set(model.graph.nodes.map((n) => n.opType))).toEqual(
      new Set(['Conv', 'Relu', 'Add', 'MaxPool', 'GlobalAveragePool', 'Flatten', 'Gemm', 'Softmax']),
    );
    // resnet50: 1 stem conv + 16 blocks x 3 convs + 4 downsample convs.
    expect(model.graph.nodes.filter((n) => n.opType === 'Conv')).toHaveLength(53);
  });
});

describe('GraphBuilder', () => {
  it('computes conv output shapes and MACs', () => {
    const g = new GraphBuilder('t', 1);
    const x = g.input('x', [3, 32, 32]);
    const y = g.conv(x, { name: 'c', outChannels: 8, kernel: 7, stride: 2, pad: 3 });
    expect(g.shapeOf(y)).toEqual([8, 16, 16]);
    expect(g.compute()).toEqual({ params: 8 * 3 * 7 * 7 + 8, macs: 8 * 16 * 16 * 3 * 7 * 7 });
  });

  it('rejects wiring mistakes before onnxruntime sees them', () => {
    const g = new GraphBuilder('t', 1);
    const a = g.input('a', [4]);
    const b = g.input('b', [5]);
    expect(() => g.add(a, b, 'sum')).toThrow(/differ in shape/);
    expect(() => g.relu('missing', 'r')).toThrow(/no value named missing/);
    expect(() => g.conv(a, { name: 'c', outChannels: 1, kernel: 1 })).toThrow(/not \[C,H,W\]/);
    expect(() => g.input('a', [1])).toThrow(/defined twice/);
    expect(() => g.build('no outputs')).toThrow(/no output/);
  });

  it('weights depend only on the seed and the tensor name', () => {
    const weights = (seed: number): Buffer[] =>
      buildResnet('resnet18', 'tiny', seed).graph.initializers.map((t) => Buffer.from(t.data().buffer));
    const a = weights(3);
    const b = weights(3);
    const c = weights(4);
    a.forEach((w, i) => expect(Buffer.compare(w, b[i]!)).toBe(0));
    a.forEach((w, i) => expect(Buffer.compare(w, c[i]!)).not.toBe(0));
    expect(
      a.every((w) => new Float32Array(w.buffer, w.byteOffset, w.length / 4).every(Number.isFinite)),
    ).toBe(true);
  });
});
