/** What CloudFormation sends a custom resource's function (the fields used here). */
export interface CustomResourceEvent {
  RequestType: 'Create' | 'Update' | 'Delete';
  ResponseURL: string;
  StackId: string;
  RequestId: string;
  LogicalResourceId: string;
  PhysicalResourceId?: string;
  ResourceProperties: Record<string, unknown>;
}

/**
 * Runs a custom resource's work and always answers CloudFormation (a missing answer would hold the
 * stack for an hour): SUCCESS with the work's data, or FAILED with its error, by a PUT to the
 * pre-signed ResponseURL as the custom resource protocol asks.
 */
export async function answerCustomResource(
  event: CustomResourceEvent,
  physicalResourceId: string,
  work: () => Promise<Record<string, string | number>>,
  log: (message: string, detail: object) => void,
): Promise<void> {
  let answer: { Status: 'SUCCESS' | 'FAILED'; Reason?: string; Data?: Record<string, string | number> };
  try {
    answer = { Status: 'SUCCESS', Data: await work() };
  } catch (error) {
    log('custom resource failed', { error: error instanceof Error ? error.message : String(error) });
    answer = { Status: 'FAILED', Reason: (error instanceof Error ? error.message : String(error)).slice(0, 1000) };
  }
  const body = JSON.stringify({
    ...answer,
    PhysicalResourceId: event.PhysicalResourceId ?? physicalResourceId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
  });
  const response = await fetch(event.ResponseURL, { method: 'PUT', body, headers: { 'content-type': '' } });
  if (!response.ok) throw new Error(`CloudFormation's response URL answered ${response.status}`);
}
