import { maskPhone } from './pii.js';

/**
 * Text messages to a worker's phone (短信), for the one-time code of the worker pages. The product
 * works without them (WORKER_SMS=off, the default): a worker proves who they are with the ID
 * number and the phone on record. A deployment with an SMS gateway turns the code step on:
 * `webhook` posts { phone, text } as JSON to WORKER_SMS_URL (the deployment's adapter to its
 * provider, e.g. a government messaging platform); `console` prints the code with the phone masked
 * (development only). Another provider is one more `SmsSender`.
 */
export interface SmsSender {
  send(phone: string, text: string): Promise<void>;
}

export type SmsMode = 'off' | 'console' | 'webhook';

export function createSmsSender(mode: SmsMode, url?: string, out: (line: string) => void = (l) => console.log(l)): SmsSender | null {
  switch (mode) {
    case 'off':
      return null;
    case 'console':
      return { send: async (phone, text) => out(`  [短信] ${maskPhone(phone)}: ${text}`) };
    case 'webhook': {
      if (!url) throw new Error('WORKER_SMS=webhook needs WORKER_SMS_URL');
      return {
        async send(phone, text) {
          const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ phone, text }), signal: AbortSignal.timeout(10_000) });
          if (!res.ok) throw new Error(`SMS gateway answered ${res.status}`);
        },
      };
    }
  }
}
