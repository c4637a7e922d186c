#!/usr/bin/env python3
"""The peer of scripts/bench: Genesys's official Python SDK (PureCloudPlatformClientV2) changing the status
of many campaigns the way the Terraform provider changes one (genesyscloud/outbound_campaign, v1.84):

    for each campaign, on one of 4 workers:
        GET /api/v2/outbound/campaigns/{id}
        PUT /api/v2/outbound/campaigns/{id} with campaignStatus changed and the version just read
        while turning off: GET it again every second until it is neither `on` nor `stopping`

Terraform polls every 10 s; this peer polls every second, as the budget in docs/ARCHITECTURE.md says, so
its wall time is a lower bound of Terraform's. The campaigns are found with one listing by name prefix
(100 a page), as an admin's script would.

Usage:
    terraform_algorithm.py --base http://127.0.0.1:PORT --client-id ID --client-secret SECRET \\
        --name-prefix Bulk_ --status off [--workers 4] [--poll 1]

Prints one JSON object: campaigns, api_requests (the token not counted), seconds (from the first request
to the last), import_seconds (importing the SDK), settled (campaigns that reached the status), failed.
Exit status 1 when a campaign did not reach it, 2 on usage errors.
"""

import argparse
import json
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", required=True)
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--client-secret", required=True)
    parser.add_argument("--name-prefix", required=True)
    parser.add_argument("--status", choices=["on", "off"], required=True)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--poll", type=float, default=1.0, help="seconds between polls while stopping")
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds a campaign may take to stop")
    args = parser.parse_args()
    if urlparse(args.base).hostname not in ("127.0.0.1", "localhost", "::1"):
        parser.error("--base must be a loopback URL: the peer only ever talks to an emulator")

    started_import = time.monotonic()
    import PureCloudPlatformClientV2 as sdk
    import_seconds = time.monotonic() - started_import

    sdk.configuration.live_reload_config = False
    sdk.configuration.host = args.base.rstrip("/")
    client = sdk.ApiClient()
    requests = 0
    counter = threading.Lock()

    def count(options):
        nonlocal requests
        if not options.url.endswith("/oauth/token"):
            with counter:
                requests += 1
        return options

    client.get_http_client().set_pre_request_hook(count)
    client.get_client_credentials_token(args.client_id, args.client_secret)
    outbound = sdk.OutboundApi(client)

    started = time.monotonic()
    listing = outbound.get_outbound_campaigns(page_size=100, name=args.name_prefix)
    campaigns = [c for c in (listing.entities or []) if (c.name or "").startswith(args.name_prefix)]
    for page in range(2, (listing.page_count or 1) + 1):
        more = outbound.get_outbound_campaigns(page_size=100, page_number=page, name=args.name_prefix)
        campaigns += [c for c in (more.entities or []) if (c.name or "").startswith(args.name_prefix)]

    def change(campaign_id):
        campaign = outbound.get_outbound_campaign(campaign_id)
        if campaign.campaign_status != args.status:
            campaign.campaign_status = args.status
            outbound.put_outbound_campaign(campaign_id, campaign, use_max_calls_per_agent_decimal=True)
        if args.status != "off":
            return True
        deadline = time.monotonic() + args.timeout
        while time.monotonic() < deadline:
            time.sleep(args.poll)
            status = outbound.get_outbound_campaign(campaign_id).campaign_status
            if status not in ("on", "stopping"):
                return status == "off"
        return False

    failed = []
    settled = 0
    with ThreadPoolExecutor(max_workers=args.workers) as workers:
        futures = {workers.submit(change, c.id): c.name for c in campaigns}
        for future, name in futures.items():
            try:
                settled += 1 if future.result() else 0
            except Exception as error:  # noqa: BLE001 - the summary says which campaign failed and why
                failed.append("%s: %s" % (name, " ".join(str(error).split())[:200]))
    seconds = time.monotonic() - started

    print(json.dumps({
        "campaigns": len(campaigns), "api_requests": requests, "seconds": round(seconds, 3),
        "import_seconds": round(import_seconds, 3), "settled": settled, "failed": failed,
    }))
    return 0 if settled == len(campaigns) and campaigns else 1


if __name__ == "__main__":
    sys.exit(main())
