import { describe, expect, it } from 'vitest';
import {
  describeWorkloadSpec,
  parseWorkloadSpec,
  traceFileOf,
} from '../../../src/sim/workload/workload-spec.js';
import { WorkloadError } from '../../../src/sim/workload/workload-error.js';

describe('parseWorkloadSpec', () => {
  it.each([
    ['poisson:50:30', 'poisson:50:30'],
    ['poisson:2.5:.5', 'poisson:2.5:0.5'],
    ['twitter:1301160:1302360:8', 'twitter:1301160:1302360:8:arrivals=poisson'],
    ['twitter:1301160:1302360', 'twitter:1301160:1302360:1:arrivals=poisson'],
    ['twitter:15.01.22:15.01.42.59:1:arrivals=barazmoon', 'twitter:1300920:1302180:1:arrivals=barazmoon'],
    ['twitter:0:100:gaps=keep:arrivals=even', 'twitter:0:100:1:arrivals=even:gaps=keep'],
    ['twitter:0:100:min-gap=20', 'twitter:0:100:1:arrivals=poisson:min-gap=20'],
    ['azure-code', 'azure-code:0'],
    ['azure-code:0:120', 'azure-code:0:120'],
    ['azure-conv:60:speed=2', 'azure-conv:60:speed=2'],
    ['steps:10@30,40@30', 'steps:10@30,40@30'],
    ['bursts:10:60:30:5:60', 'steps:10@25,60@5,10@25,60@5'],
  ])('%s → %s', (text, canonical) => {
    const spec = parseWorkloadSpec(text);
    expect(describeWorkloadSpec(spec)).toBe(canonical);
    expect(describeWorkloadSpec(parseWorkloadSpec(canonical))).toBe(canonical);
  });

  it.each([
    ['', /unknown workload/],
    ['uniform:5', /unknown workload 'uniform'/],
    ['poisson:50', /poisson:RATE:SECONDS/],
    ['poisson:-1:10', /RATE must be a number/],
    ['poisson:0:10', /RATE must be greater than 0/],
    ['poisson:5:10:speed=2', /unknown option 'speed'/],
    ['twitter:100', /twitter:START:END/],
    ['twitter:100:200:0', /DAMPING must be greater than 0/],
    ['twitter:100:200:arrivals=burst', /arrivals must be one of/],
    ['twitter:100:200:gaps=drop', /gaps must be skip or keep/],
    ['twitter:100:200:min-gap=2.5', /min-gap must be a whole number/],
    ['twitter:1.5:200', /day:hh:mm/],
    ['azure-code:100:50', /TO must be greater than FROM/],
    ['azure-code:0:10:speed=0', /speed must be greater than 0/],
    ['steps:10', /RATE@SECONDS/],
    ['steps:10@0', /SECONDS must be greater than 0/],
    ['bursts:10:60:5:30:60', /BURST must not exceed PERIOD/],
  ])('%s is rejected', (text, message) => {
    expect(() => parseWorkloadSpec(text)).toThrow(WorkloadError);
    expect(() => parseWorkloadSpec(text)).toThrow(message);
  });

  it('names the trace file a spec needs', () => {
    expect(traceFileOf(parseWorkloadSpec('twitter:0:10'))).toBe('twitter-2021-08-rps.txt');
    expect(traceFileOf(parseWorkloadSpec('azure-conv'))).toBe('AzureLLMInferenceTrace_conv.csv');
    expect(traceFileOf(parseWorkloadSpec('poisson:1:1'))).toBeUndefined();
  });
});
