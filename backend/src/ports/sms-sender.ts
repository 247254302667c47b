/** Sends an SMS: sign-in codes and owners' exposure warnings. SNS on AWS; locally a log line. */
export interface SmsSender {
  send(phoneNumber: string, message: string): Promise<void>;
}
