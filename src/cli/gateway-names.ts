import { volumeIdOf } from '../report/gateway-report.ts';

// A gateway ID as Storage Gateway writes it, e.g. sgw-12A3456B.
const GATEWAY_ID = /\bsgw-[0-9A-Za-z]+\b/g;

/**
 * The gateway names a run's steps have told so far (the list step's `DescribeGatewayInformation`, a manifest's
 * `gatewayName`), and the lines a person reads with each known gateway's name beside its ID:
 * `gateway sgw-12A3456B (branch-office-1): …`.
 */
export class GatewayNames {
  readonly #byId = new Map<string, string>();

  /** Takes note of a gateway's name; `gateway` is its ARN or its ID. */
  learn(gateway: string, name: string): void {
    if (name) this.#byId.set(volumeIdOf(gateway), name);
  }

  /** The line with the name of every gateway it names by ID and whose name is known, beside the ID. */
  label(line: string): string {
    if (!this.#byId.size) return line;
    return line.replace(GATEWAY_ID, (id: string, at: number) => {
      const name = this.#byId.get(id);
      // A line that names it already (told twice, or by a step that knew the name) is left as it is.
      return name && !line.startsWith(` (${name})`, at + id.length) ? `${id} (${name})` : id;
    });
  }
}
