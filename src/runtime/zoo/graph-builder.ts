/**
 * A small builder for batchable FP32 ONNX graphs. Every value carries its shape without the batch
 * dimension, so the builder checks the graph as it grows (a wiring mistake fails here, not inside
 * onnxruntime) and counts parameters and multiply-accumulates from the graph itself. Graph inputs and
 * outputs get a leading symbolic batch dimension `N`.
 */
import {
  elementsOf,
  type OnnxAttribute,
  type OnnxInitializer,
  type OnnxModel,
  type OnnxNode,
  type OnnxValueInfo,
} from './onnx-model.js';
import { seededNormal } from './seeded-normal.js';

/** The symbolic batch dimension of graph inputs and outputs. */
export const BATCH_DIM = 'N';

/** Size of a model, per inference of one row (batch 1). */
export interface ModelCompute {
  /** Elements of all initializers. */
  readonly params: number;
  /** Multiply-accumulates of Conv and Gemm nodes (element-wise ops, pooling and softmax are not counted). */
  readonly macs: number;
}

export interface ConvOptions {
  readonly name: string;
  readonly outChannels: number;
  /** Square kernel side. */
  readonly kernel: number;
  /** Default 1. */
  readonly stride?: number;
  /** Zero padding on every side; default `floor(kernel / 2)` ("same" for odd kernels at stride 1). */
  readonly pad?: number;
  /** Multiplies the He-normal standard deviation of the weights; default 1. */
  readonly weightScale?: number;
}

export interface PoolOptions {
  readonly name: string;
  readonly kernel: number;
  readonly stride: number;
  readonly pad: number;
}

/** Standard deviation of the folded-BatchNorm biases: small, so the He-normal scale dominates. */
const BIAS_STD = 0.01;

const ints = (name: string, value: readonly number[]): OnnxAttribute => ({ name, kind: 'ints', value });
const int = (name: string, value: number): OnnxAttribute => ({ name, kind: 'int', value });

export class GraphBuilder {
  private readonly nodes: OnnxNode[] = [];
  private readonly initializers: OnnxInitializer[] = [];
  private readonly inputs: OnnxValueInfo[] = [];
  private readonly outputs: OnnxValueInfo[] = [];
  private readonly shapes = new Map<string, readonly number[]>();
  private macs = 0;

  /** `seed` determines every weight (through per-tensor named streams). */
  constructor(
    private readonly name: string,
    private readonly seed: number,
  ) {}

  /** Declares an FP32 graph input of shape `[N, ...shape]`; returns its value name. */
  input(name: string, shape: readonly number[]): string {
    this.define(name, shape);
    this.inputs.push({ name, dims: [BATCH_DIM, ...shape] });
    return name;
  }

  /** Marks an existing value as a graph output of shape `[N, ...shape]`. */
  output(value: string): void {
    this.outputs.push({ name: value, dims: [BATCH_DIM, ...this.shapeOf(value)] });
  }

  /** Shape of a value, without the batch dimension. */
  shapeOf(value: string): readonly number[] {
    const shape = this.shapes.get(value);
    if (shape === undefined) throw new Error(`graph ${this.name}: no value named ${value}`);
    return shape;
  }

  /** 2-D convolution with bias (BatchNorm folded in): He-normal weights scaled by `weightScale`. */
  conv(x: string, o: ConvOptions): string {
    const [inChannels, height, width] = this.spatial(x, 'Conv');
    const stride = o.stride ?? 1;
    const pad = o.pad ?? Math.floor(o.kernel / 2);
    const outH = Math.floor((height + 2 * pad - o.kernel) / stride) + 1;
    const outW = Math.floor((width + 2 * pad - o.kernel) / stride) + 1;
    const fanIn = inChannels * o.kernel * o.kernel;
    const weight = this.weight(
      `${o.name}.weight`,
      [o.outChannels, inChannels, o.kernel, o.kernel],
      Math.sqrt(2 / fanIn) * (o.weightScale ?? 1),
    );
    const bias = this.weight(`${o.name}.bias`, [o.outChannels], BIAS_STD);
    this.macs += o.outChannels * outH * outW * fanIn;
    return this.node(
      'Conv',
      o.name,
      [x, weight, bias],
      [o.outChannels, outH, outW],
      [
        ints('kernel_shape', [o.kernel, o.kernel]),
        ints('strides', [stride, stride]),
        ints('pads', [pad, pad, pad, pad]),
      ],
    );
  }

  relu(x: string, name: string): string {
    return this.node('Relu', name, [x], this.shapeOf(x));
  }

  add(a: string, b: string, name: string): string {
    return this.node('Add', name, [a, b], this.sameShape(a, b, 'Add'));
  }

  sub(a: string, b: string, name: string): string {
    return this.node('Sub', name, [a, b], this.sameShape(a, b, 'Sub'));
  }

  maxPool(x: string, o: PoolOptions): string {
    const [channels, height, width] = this.spatial(x, 'MaxPool');
    const out = (side: number): number => Math.floor((side + 2 * o.pad - o.kernel) / o.stride) + 1;
    return this.node(
      'MaxPool',
      o.name,
      [x],
      [channels, out(height), out(width)],
      [
        ints('kernel_shape', [o.kernel, o.kernel]),
        ints('strides', [o.stride, o.stride]),
        ints('pads', [o.pad, o.pad, o.pad, o.pad]),
      ],
    );
  }

  globalAveragePool(x: string, name: string): string {
    const [channels] = this.spatial(x, 'GlobalAveragePool');
    return this.node('GlobalAveragePool', name, [x], [channels, 1, 1]);
  }

  /** Flattens everything after the batch dimension. */
  flatten(x: string, name: string): string {
    return this.node('Flatten', name, [x], [elementsOf(this.shapeOf(x))], [int('axis', 1)]);
  }

  /** Fully connected layer `x·Wᵀ + b` with W of shape [outFeatures, inFeatures], std 1/sqrt(inFeatures). */
  gemm(x: string, o: { readonly name: string; readonly outFeatures: number }): string {
    const shape = this.shapeOf(x);
    const inFeatures = shape[0];
    if (shape.length !== 1 || inFeatures === undefined)
      throw new Error(`Gemm ${o.name}: input ${x} is not a vector`);
    const weight = this.weight(`${o.name}.weight`, [o.outFeatures, inFeatures], 1 / Math.sqrt(inFeatures));
    const bias = this.weight(`${o.name}.bias`, [o.outFeatures], BIAS_STD);
    this.macs += inFeatures * o.outFeatures;
    return this.node('Gemm', o.name, [x, weight, bias], [o.outFeatures], [int('transB', 1)]);
  }

  /** Softmax over the last axis. */
  softmax(x: string, name: string): string {
    return this.node('Softmax', name, [x], this.shapeOf(x), [int('axis', -1)]);
  }

  compute(): ModelCompute {
    const params = this.initializers.reduce((sum, init) => sum + elementsOf(init.dims), 0);
    return { params, macs: this.macs };
  }

  build(docString: string): OnnxModel {
    if (this.outputs.length === 0) throw new Error(`graph ${this.name} has no output`);
    return {
      docString,
      graph: {
        name: this.name,
        docString,
        nodes: [...this.nodes],
        initializers: [...this.initializers],
        inputs: [...this.inputs],
        outputs: [...this.outputs],
      },
    };
  }

  private weight(name: string, dims: readonly number[], std: number): string {
    const seed = this.seed;
    this.initializers.push({ name, dims, data: () => seededNormal(seed, name, elementsOf(dims), std) });
    return name;
  }

  private node(
    opType: string,
    name: string,
    inputs: readonly string[],
    shape: readonly number[],
    attributes: readonly OnnxAttribute[] = [],
  ): string {
    this.define(name, shape);
    this.nodes.push({ name, opType, inputs, outputs: [name], attributes });
    return name;
  }

  private define(value: string, shape: readonly number[]): void {
    if (this.shapes.has(value)) throw new Error(`graph ${this.name}: value ${value} defined twice`);
    if (shape.some((d) => !Number.isInteger(d) || d < 1))
      throw new Error(`graph ${this.name}: ${value} has shape [${shape.join(',')}]`);
    this.shapes.set(value, shape);
  }

  private spatial(x: string, op: string): [number, number, number] {
    const [c, h, w, ...rest] = this.shapeOf(x);
    if (c === undefined || h === undefined || w === undefined || rest.length > 0)
      throw new Error(`${op}: ${x} is not [C,H,W]`);
    return [c, h, w];
  }

  private sameShape(a: string, b: string, op: string): readonly number[] {
    const shape = this.shapeOf(a);
    if (shape.join(',') !== this.shapeOf(b).join(','))
      throw new Error(`${op}: ${a} and ${b} differ in shape`);
    return shape;
  }
}
