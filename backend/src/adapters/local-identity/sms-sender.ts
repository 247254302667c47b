/** Sends the sign-in code by SMS. Locally the "SMS" is a log line. */
export interface SmsSender {
  send(phoneNumber: string, message: string): Promise<void>;
}
