/** `vae compare`: train several models under one protocol and tabulate their held-out metrics. */
export { runCompare, evenlySpaced, type CompareCommand, type CompareResult } from './run';
export { bindEvalData, dataSignature, loadModels, resolveProtocol, type CompareModel, type EvalData, type Protocol, type ProtocolFlags } from './protocol';
export { formatTable, writeCompareCurves, type CompareRow } from './report';
export { flowSites, sampledActiveUnits, type SampledActivity } from '../eval/activity';
