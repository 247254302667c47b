import { functionServices, type FunctionBase, type PartsOf } from '../../composition/aws-parts/function-services.js';

/** A function's handler made from the parts it takes, built at cold start (queue, stream and schedule entries). */
export async function composedFunction<S extends Partial<FunctionBase>, H>(make: (s: S & FunctionBase) => H, parts: PartsOf<S>): Promise<H> {
  return make(await functionServices<S>(parts));
}
