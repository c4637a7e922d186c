#!/usr/bin/env python3
"""Conformance check of genesys-emulator against Genesys's official Python SDK.

Drives the emulator with PureCloudPlatformClientV2 (ApiClient,
get_client_credentials_token, OutboundApi, RoutingApi, AnalyticsApi) the way an
outside reviewer would, and prints one line per check:

    PASS name
    FAIL name: reason

plus informational `INFO name: ...` lines, then exactly `N passed, M failed` as
the last line. Exit status 1 if any check failed, 2 on usage errors.

Usage:
    python3 sdk_conformance.py --base http://127.0.0.1:PORT \\
        --client-id ID --client-secret SECRET [--rate-limit N]

Only loopback bases are accepted, and every request the SDK makes is checked
to go to a loopback host before it leaves (pre-request hook).

Notes on the SDK (PureCloudPlatformClientV2, checked in 269.0.0):
- The login host is derived with re.sub(r'//(api)\\.', '//login.', host); a
  loopback base has no "api." so /oauth/token goes to the same base URL.
- The SDK's urllib3 pool is built with urllib3.util.Retry() (total=10, all
  methods, PUT and POST included), which transparently retries 413/429/503
  responses that carry Retry-After, sleeping Retry-After each time; only the
  11th such response surfaces as ApiException. We replace that Retry with one
  that never retries, and add a timeout (the SDK's urllib3 pool has none).
"""

import argparse
import ipaddress
import json
import re
import sys
import time
import traceback
from urllib.parse import urlparse

OUTDATED = "outdated_sdk_version"
CAMPAIGN_STATUSES = ["on", "stopping", "off", "complete", "invalid", "forced_off", "forced_stopping"]
DIALING_MODES = ["agentless", "preview", "power", "predictive", "progressive", "external"]


# --------------------------------------------------------------------------- output

class Report:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def ok(self, name):
        self.passed += 1
        print("PASS %s" % name, flush=True)

    def fail(self, name, reason):
        self.failed += 1
        reason = " ".join(str(reason).split())  # one line
        if len(reason) > 600:
            reason = reason[:600] + "..."
        print("FAIL %s: %s" % (name, reason), flush=True)

    def info(self, name, text):
        print("INFO %s: %s" % (name, " ".join(str(text).split())), flush=True)


class CheckFailed(Exception):
    pass


def require(cond, reason):
    if not cond:
        raise CheckFailed(reason)


def describe_api_exception(e):
    body = getattr(e, "body", None)
    if body and len(body) > 300:
        body = body[:300] + "..."
    return "HTTP %s %s body=%s" % (getattr(e, "status", "?"), getattr(e, "reason", ""), body)


# --------------------------------------------------------------------------- SDK setup

def is_loopback_host(host):
    if host is None:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Conformance:
    def __init__(self, args, sdk, report):
        self.args = args
        self.sdk = sdk
        self.r = report
        self.base = args.base.rstrip("/")
        self.api_requests = 0          # requests sent to /api/v2 (not /oauth/token)
        self.token_request = None      # what the SDK sent for the token
        self.raw_seen = []             # (what, sdk type, raw JSON) for the JSON key check
        self.campaigns = []            # list of Campaign models from the listing
        self.client = None
        self.outbound = None
        self.routing = None
        self.analytics = None
        self.token_ok = False

    # -- setup -------------------------------------------------------------

    def make_client(self):
        sdk = self.sdk
        import urllib3

        conf = sdk.configuration  # the SDK's singleton Configuration()
        # A ~/.genesyscloudpython/config could set a gateway or a host; ignore it.
        conf.live_reload_config = False
        conf.gateway_configuration = None
        conf.host = self.base
        client = sdk.ApiClient()  # takes its host from the configuration
        client.gateway_configuration = None
        if client.host != self.base:
            raise RuntimeError("ApiClient host %r != configured %r" % (client.host, self.base))
        conf.api_client = client

        http = client.get_http_client()
        # Disable the SDK's transparent urllib3 retries (see module doc) and add timeouts.
        pool = http.rest_client.pool_manager
        pool.clear()
        pool.connection_pool_kw["retries"] = urllib3.util.Retry(
            total=0, redirect=False, respect_retry_after_header=False, raise_on_status=False)
        pool.connection_pool_kw["timeout"] = urllib3.util.Timeout(connect=5.0, read=self.args.timeout)

        def pre_hook(opts):
            host = urlparse(opts.url).hostname
            if not is_loopback_host(host):
                raise RuntimeError("refusing to send a request to non-loopback host %r (%s)" % (host, opts.url))
            if opts.url.endswith("/oauth/token"):
                headers = dict(opts.headers or {})
                auth = headers.get("Authorization", "")
                headers["Authorization"] = (auth.split(" ", 1)[0] + " <redacted>") if auth else "<none>"
                self.token_request = {"method": opts.method, "url": opts.url, "headers": headers,
                                      "form": dict(opts.post_params or {}), "body": opts.body}
            else:
                self.api_requests += 1
            return opts

        http.set_pre_request_hook(pre_hook)
        self.client = client
        self.outbound = sdk.OutboundApi(client)
        self.routing = sdk.RoutingApi(client)
        self.analytics = sdk.AnalyticsApi(client)

    # -- helpers -----------------------------------------------------------

    def last_raw(self):
        resp = getattr(self.client, "last_response", None)
        if resp is None:
            return None
        try:
            return json.loads(resp.data)
        except (TypeError, ValueError):
            return None

    def remember_raw(self, what, sdk_type):
        raw = self.last_raw()
        if raw is not None:
            self.raw_seen.append((what, sdk_type, raw))
        return raw

    def last_header(self, name):
        resp = getattr(self.client, "last_response", None)
        return resp.getheader(name) if resp is not None else None

    def get_campaign(self, cid, what="get_outbound_campaign"):
        c = self.outbound.get_outbound_campaign(cid)
        self.remember_raw(what, "Campaign")
        return c

    def run_check(self, name, fn, needs_token=True):
        if needs_token and not self.token_ok:
            self.r.fail(name, "skipped: no access token")
            return None
        try:
            result = fn()
            self.r.ok(name)
            return result
        except CheckFailed as e:
            self.r.fail(name, e)
        except self.sdk.rest.ApiException as e:
            self.r.fail(name, "unexpected ApiException: " + describe_api_exception(e))
        except Exception as e:  # noqa: BLE001 - a crash in the SDK is a finding too
            tb = traceback.extract_tb(e.__traceback__)
            where = "%s:%s" % (tb[-1].filename.rsplit("/", 1)[-1], tb[-1].lineno) if tb else "?"
            self.r.fail(name, "%s: %s (at %s)" % (type(e).__name__, e, where))
        return None

    # -- checks ------------------------------------------------------------

    def check_token(self):
        login = self.client.get_conf_url("login", self.client.host)
        require(login == self.base, "SDK login base would be %r, expected %r" % (login, self.base))
        try:
            self.client.get_client_credentials_token(self.args.client_id, self.args.client_secret)
        except self.sdk.rest.ApiException as e:
            raise CheckFailed("token request failed: " + describe_api_exception(e))
        require(self.client.access_token, "empty access_token")
        tr = self.token_request or {}
        require(tr.get("url") == self.base + "/oauth/token",
                "token request went to %r, expected %r" % (tr.get("url"), self.base + "/oauth/token"))
        self.r.info("token", "SDK sent %s %s headers=%s form=%s" % (
            tr.get("method"), tr.get("url"), json.dumps(tr.get("headers")), json.dumps(tr.get("form"))))
        self.token_ok = True

    def check_list(self):
        page_size = self.args.page_size
        collected, page_number, page_count, total, pages = [], 1, None, None, 0
        while True:
            listing = self.outbound.get_outbound_campaigns(page_size=page_size, page_number=page_number)
            self.remember_raw("get_outbound_campaigns page %d" % page_number, "CampaignEntityListing")
            pages += 1
            require(listing is not None, "page %d: no body" % page_number)
            require(listing.page_count is not None, "page %d: pageCount missing" % page_number)
            require(listing.total is not None, "page %d: total missing" % page_number)
            require(listing.entities is not None, "page %d: entities missing" % page_number)
            require(len(listing.entities) <= page_size,
                    "page %d: %d entities > pageSize %d" % (page_number, len(listing.entities), page_size))
            if listing.page_number is not None:
                require(listing.page_number == page_number,
                        "asked page %d, got pageNumber %s" % (page_number, listing.page_number))
            if page_count is None:
                page_count, total = listing.page_count, listing.total
            else:
                require(listing.page_count == page_count and listing.total == total,
                        "pageCount/total changed between pages (%s/%s -> %s/%s)" % (
                            page_count, total, listing.page_count, listing.total))
            collected.extend(listing.entities)
            if page_number >= page_count:
                break
            require(len(listing.entities) > 0, "page %d of %d is empty" % (page_number, page_count))
            page_number += 1
            require(page_number <= 1000, "more than 1000 pages")
        ids = [c.id for c in collected]
        require(all(ids), "a campaign without id")
        require(len(set(ids)) == len(ids), "duplicate campaign ids across pages")
        require(total == len(collected), "total=%s but %d campaigns collected over %d pages" % (
            total, len(collected), pages))
        expected_pages = max(1, -(-total // page_size))
        require(page_count == expected_pages,
                "pageCount=%s, expected ceil(%s/%s)=%s" % (page_count, total, page_size, expected_pages))
        require(len(collected) >= 12, "only %d campaigns (need at least 12)" % len(collected))
        self.r.info("list_campaigns_paging", "%d campaigns, %d pages of %d" % (len(collected), pages, page_size))
        self.campaigns = collected

    def fallback_listing(self):
        """When the paging check failed, still collect campaigns (pageSize 100 until a short
        page) so that the other checks can run independently of it."""
        collected, page = [], 1
        try:
            while page <= 50:
                listing = self.outbound.get_outbound_campaigns(page_size=100, page_number=page)
                ents = (listing.entities if listing is not None else None) or []
                collected.extend(ents)
                if len(ents) < 100:
                    break
                page += 1
        except Exception as e:  # noqa: BLE001
            self.r.info("list_campaigns_paging", "fallback listing failed too: %s" % " ".join(str(e).split())[:200])
        self.campaigns = collected
        self.r.info("list_campaigns_paging", "fallback listing (pageSize 100 until a short page) found %d "
                    "campaigns; the later checks use them" % len(collected))

    def walk_outdated(self, obj, path, found):
        if isinstance(obj, str):
            if obj == OUTDATED:
                found.append(path)
        elif isinstance(obj, list):
            for i, v in enumerate(obj):
                self.walk_outdated(v, "%s[%d]" % (path, i), found)
        elif isinstance(obj, dict):
            for k, v in obj.items():
                self.walk_outdated(v, "%s[%r]" % (path, k), found)
        elif hasattr(obj, "swagger_types"):
            for attr in obj.swagger_types:
                self.walk_outdated(getattr(obj, attr, None), "%s.%s" % (path, attr), found)

    def campaign_problems(self, c):
        label = "campaign %s (%s)" % (c.id, c.name)
        problems = []
        found = []
        self.walk_outdated(c, "campaign", found)
        if found:
            problems.append("%s: outdated_sdk_version at %s" % (label, ", ".join(found)))
        for attr in ("name", "contact_list", "dialing_mode", "phone_columns", "caller_name", "caller_address",
                     "id", "version", "campaign_status"):
            v = getattr(c, attr)
            if v is None or (isinstance(v, (str, list)) and len(v) == 0):
                problems.append("%s: required %s missing" % (label, attr))
        if c.contact_list is not None and not c.contact_list.id:
            problems.append("%s: contactList.id missing" % label)
        for i, pc in enumerate(c.phone_columns or []):
            if not pc.column_name or not pc.type:
                problems.append("%s: phoneColumns[%d] lacks columnName/type" % (label, i))
        if c.campaign_status is not None and c.campaign_status not in CAMPAIGN_STATUSES + [OUTDATED]:
            problems.append("%s: campaignStatus %r is not exactly one of the lowercase values" % (
                label, c.campaign_status))
        if c.dialing_mode is not None and c.dialing_mode not in DIALING_MODES + [OUTDATED]:
            problems.append("%s: dialingMode %r is not exactly one of the lowercase values" % (
                label, c.dialing_mode))
        if c.dialing_mode not in (None, "agentless") and c.campaign_status != "invalid" and \
                (c.queue is None or not c.queue.id):
            problems.append("%s: %s campaign without queue" % (label, c.dialing_mode))
        return problems

    def check_models(self):
        require(self.campaigns, "no campaigns listed")
        problems = []
        for c in self.campaigns:
            problems.extend(self.campaign_problems(c))
        require(not problems, "; ".join(problems[:8]) + (" (+%d more)" % (len(problems) - 8)
                                                           if len(problems) > 8 else ""))

    def check_statuses(self):
        require(self.campaigns, "no campaigns listed")
        seen = {}
        for c in self.campaigns:
            seen[c.campaign_status] = seen.get(c.campaign_status, 0) + 1
        self.r.info("campaign_statuses", "seen " + ", ".join("%s=%d" % kv for kv in sorted(
            seen.items(), key=lambda kv: str(kv[0]))))
        missing = [s for s in ("on", "off", "complete", "invalid") if s not in seen]
        if not any(s in seen for s in ("stopping", "forced_stopping", "forced_off")):
            missing.append("stopping|forced_stopping|forced_off")
        require(not missing, "statuses not seen: %s (seen: %s)" % (", ".join(missing), ", ".join(
            sorted(str(s) for s in seen))))

    def pick(self, status, exclude=()):
        cands = [c for c in self.campaigns if c.campaign_status == status and c.id not in exclude]
        clean = [c for c in cands if not c.errors]
        return (clean or cands or [None])[0]

    def check_put_current(self):
        target = self.pick("off")
        require(target is not None, "no campaign with campaignStatus off")
        c = self.get_campaign(target.id)
        require(c.id == target.id, "GET returned id %r" % c.id)
        require(c.campaign_status == "off", "campaign is now %r, not off" % c.campaign_status)
        require(isinstance(c.version, int), "version %r is not an int" % c.version)
        old_version, old_name = c.version, c.caller_name
        body = c
        body.caller_name = ((old_name or "Caller") + " (sdk)")[:60]
        if body.caller_name == old_name:
            body.caller_name = "SDK Conformance"
        sent = self.client.sanitize_for_serialization(body)
        updated = self.outbound.put_outbound_campaign(c.id, body)
        self.remember_raw("put_outbound_campaign", "Campaign")
        require(updated is not None and updated.id == c.id, "PUT response is not the campaign")
        require(updated.version == old_version + 1,
                "PUT returned version %r, expected %d" % (updated.version, old_version + 1))
        require(updated.caller_name == body.caller_name,
                "PUT returned callerName %r, expected %r" % (updated.caller_name, body.caller_name))
        require(updated.campaign_status == "off", "PUT returned campaignStatus %r" % updated.campaign_status)
        again = self.get_campaign(c.id)
        require(again.version == old_version + 1 and again.caller_name == body.caller_name,
                "GET after PUT shows version %r callerName %r" % (again.version, again.caller_name))
        self.r.info("put_current_version", "campaign %s version %d -> %d; SDK PUT body keys: %s; dateModified sent as %r"
                    % (c.id, old_version, updated.version, ",".join(sorted(sent)), sent.get("dateModified")))
        # keep the stale body for the next check
        self.stale = (c.id, old_version, again)

    def check_put_stale(self):
        require(getattr(self, "stale", None), "previous update did not succeed")
        cid, old_version, current = self.stale
        current.version = old_version
        current.caller_name = (current.caller_name or "") + "!"
        try:
            self.outbound.put_outbound_campaign(cid, current)
        except self.sdk.rest.ApiException as e:
            require(e.status == 409, "expected 409, got " + describe_api_exception(e))
            self.conflict = e
            try:
                body = json.loads(e.body)
            except (TypeError, ValueError):
                raise CheckFailed("409 body is not JSON: %r" % (e.body,))
            require(isinstance(body, dict), "409 body is not an object")
            require(body.get("status") == 409, "ErrorBody.status is %r" % body.get("status"))
            require(isinstance(body.get("message"), str) and body["message"],
                    "ErrorBody.message missing")
            require(isinstance(body.get("code"), str) and body["code"], "ErrorBody.code missing")
            self.r.info("put_stale_version_409", "code=%r message=%r" % (body.get("code"), body.get("message")))
            return
        raise CheckFailed("PUT with stale version %d succeeded" % old_version)

    def check_correlation(self):
        self.outbound.get_outbound_campaigns(page_size=1, page_number=1)
        ok_header = self.last_header("ININ-Correlation-ID")
        require(ok_header, "no ININ-Correlation-ID on a 200 response")
        e = getattr(self, "conflict", None)
        require(e is not None, "no 409 response to inspect (stale-version check failed)")
        err_header = e.headers.get("ININ-Correlation-ID") if e.headers is not None else None
        require(err_header, "no ININ-Correlation-ID on the 409 response")
        try:
            ctx = json.loads(e.body).get("contextId")
        except (TypeError, ValueError, AttributeError):
            ctx = None
        require(ctx == err_header, "409 ErrorBody.contextId %r != ININ-Correlation-ID %r" % (ctx, err_header))
        require(ok_header != err_header, "the same correlation id on two different responses")

    def check_turn_off(self):
        used = {self.stale[0]} if getattr(self, "stale", None) else set()
        target = self.pick("on", exclude=used)
        require(target is not None, "no campaign with campaignStatus on")
        c = self.get_campaign(target.id)
        require(c.campaign_status == "on", "campaign %s is now %r, not on" % (c.id, c.campaign_status))
        old_version = c.version
        c.campaign_status = "off"
        t0 = time.monotonic()
        put = self.outbound.put_outbound_campaign(c.id, c)
        self.remember_raw("put_outbound_campaign (off)", "Campaign")
        statuses = [("PUT", put.campaign_status)]
        require(put.campaign_status in ("stopping", "off"),
                "PUT off returned campaignStatus %r" % put.campaign_status)
        saw_stopping = put.campaign_status == "stopping"
        if not saw_stopping:
            g = self.get_campaign(c.id)
            statuses.append(("GET", g.campaign_status))
            saw_stopping = g.campaign_status == "stopping"
        final = statuses[-1][1]
        deadline = t0 + self.args.stop_timeout
        while final != "off" and time.monotonic() < deadline:
            time.sleep(self.args.poll_interval)
            g = self.get_campaign(c.id)
            if g.campaign_status != statuses[-1][1]:
                statuses.append(("GET", g.campaign_status))
            final = g.campaign_status
            require(final in ("stopping", "off"), "status went to %r while stopping" % final)
        elapsed = time.monotonic() - t0
        self.r.info("turn_off", "campaign %s version %s -> PUT %s; statuses %s; off after %.2fs" % (
            c.id, old_version, put.version, " -> ".join("%s:%s" % s for s in statuses), elapsed))
        require(put.version == old_version + 1, "PUT returned version %r, expected %d" % (
            put.version, old_version + 1))
        require(saw_stopping, "never observed stopping (PUT response and the GET right after: %s)" % statuses)
        require(final == "off", "still %r after %.1fs" % (final, self.args.stop_timeout))

    def queue_campaign(self):
        for c in self.campaigns:
            if c.queue is not None and c.queue.id and c.campaign_status in ("on", "off"):
                return c
        for c in self.campaigns:
            if c.queue is not None and c.queue.id:
                return c
        return None

    def check_progress(self):
        require(self.campaigns, "no campaigns listed")
        c = self.campaigns[0]
        p = self.outbound.get_outbound_campaign_progress(c.id)
        self.remember_raw("get_outbound_campaign_progress", "CampaignProgress")
        require(p is not None, "no body")
        require(p.campaign is not None and p.campaign.id == c.id,
                "progress.campaign.id is %r" % (p.campaign.id if p.campaign else None))
        for attr in ("number_of_contacts_called", "total_number_of_contacts", "percentage"):
            v = getattr(p, attr)
            require(isinstance(v, int), "%s is %r" % (attr, v))
        require(0 <= p.percentage <= 100, "percentage %r" % p.percentage)
        require(p.number_of_contacts_called <= p.total_number_of_contacts or p.total_number_of_contacts == 0,
                "called %d > total %d" % (p.number_of_contacts_called, p.total_number_of_contacts))

    def check_stats(self):
        c = self.queue_campaign() or (self.campaigns[0] if self.campaigns else None)
        require(c is not None, "no campaigns listed")
        s = self.outbound.get_outbound_campaign_stats(c.id)
        raw = self.remember_raw("get_outbound_campaign_stats", "CampaignStats")
        require(s is not None, "no body")
        require(isinstance(s.idle_agents, int) and not isinstance(s.idle_agents, bool),
                "idle_agents is %r" % (s.idle_agents,))
        raw_idle = raw.get("idleAgents") if isinstance(raw, dict) else None
        # The SDK coerces with int(), so 2.5 or "2" would pass the line above; look at the JSON too.
        require(type(raw_idle) is int, "JSON idleAgents is %r (%s), not an integer" % (
            raw_idle, type(raw_idle).__name__))
        self.stats_idle = (c, s.idle_agents)

    def check_queue_members(self):
        c = self.queue_campaign()
        require(c is not None, "no campaign with a queue")
        qid = c.queue.id
        members, page, page_size = [], 1, 25
        while True:
            listing = self.routing.get_routing_queue_members(qid, joined=True, page_number=page, page_size=page_size)
            raw = self.remember_raw("get_routing_queue_members", "QueueMemberEntityListing")
            require(listing is not None and listing.entities is not None, "page %d: entities missing" % page)
            require(len(listing.entities) <= page_size, "page %d: more entities than pageSize" % page)
            if isinstance(raw, dict):
                extra = [k for k in ("total", "pageCount", "lastUri") if k in raw]
                if extra:
                    self.r.info("queue_members", "listing carries %s; real /members omits totals" % extra)
            members.extend(listing.entities)
            if len(listing.entities) < page_size or not listing.next_uri:
                break
            page += 1
            require(page <= 200, "more than 200 pages")
        problems = []
        for m in members:
            found = []
            self.walk_outdated(m, "member", found)
            if found:
                problems.append("member %s: outdated_sdk_version at %s" % (m.id, ", ".join(found)))
            if m.joined is False:
                problems.append("member %s has joined=false despite joined=true" % m.id)
            if not m.id:
                problems.append("member without id")
        require(not problems, "; ".join(problems[:5]))
        idle = self.routing.get_routing_queue_members(qid, joined=True, routing_status=["IDLE"],
                                                       member_by="user", page_size=100, page_number=1)
        self.remember_raw("get_routing_queue_members IDLE", "QueueMemberEntityListing")
        bad = [m.id for m in idle.entities or []
               if m.routing_status is not None and m.routing_status.status not in (None, "IDLE")]
        require(not bad, "routingStatus=IDLE filter returned non-IDLE members %s" % bad[:5])
        stats = getattr(self, "stats_idle", None)
        self.r.info("queue_members", "queue %s: %d joined members, %d IDLE on page 1%s" % (
            qid, len(members), len(idle.entities or []),
            (", campaign %s stats.idleAgents=%d" % (stats[0].id, stats[1])) if stats and stats[0].id == c.id else ""))

    def check_analytics(self):
        c = self.queue_campaign()
        require(c is not None, "no campaign with a queue")
        qid = c.queue.id
        m = self.sdk.models
        pred = m.QueueObservationQueryPredicate()
        pred.type = "dimension"
        pred.dimension = "queueId"
        pred.operator = "matches"
        pred.value = qid
        flt = m.QueueObservationQueryFilter()
        flt.type = "or"
        flt.predicates = [pred]
        q = m.QueueObservationQuery()
        q.filter = flt
        q.metrics = ["oOnQueueUsers"]
        resp = self.analytics.post_analytics_queues_observations_query(q)
        self.remember_raw("post_analytics_queues_observations_query", "QueueObservationQueryResponse")
        require(resp is not None and resp.results, "no results")
        mine = [r for r in resp.results if (r.group or {}).get("queueId") == qid]
        require(mine, "no result group with queueId %s (groups: %s)" % (qid, [r.group for r in resp.results]))
        data = [d for r in mine for d in (r.data or [])]
        require(data, "result has no data")
        wrong = [d.metric for d in data if d.metric != "oOnQueueUsers"]
        require(not wrong, "unexpected metrics %s" % wrong)
        counts = {}
        for d in data:
            require(d.stats is not None and isinstance(d.stats.count, int), "datum %s has no stats.count" % d.qualifier)
            counts[d.qualifier] = d.stats.count
        self.r.info("analytics_queue_observations", "queue %s oOnQueueUsers by qualifier: %s" % (qid, counts))

    def check_json_keys(self):
        require(self.raw_seen, "no JSON bodies recorded")
        unknown = []
        for what, sdk_type, raw in self.raw_seen:
            what = re.sub(r" page \d+$", "", what)
            for path in self.unknown_keys(raw, sdk_type, "$"):
                unknown.append("%s %s" % (what, path))
        uniq = sorted(set(unknown))
        require(not uniq, "JSON keys the SDK model does not know (silently dropped): " + "; ".join(uniq[:10])
                + (" (+%d more)" % (len(uniq) - 10) if len(uniq) > 10 else ""))

    def unknown_keys(self, raw, klass, path):
        if raw is None:
            return []
        if klass.startswith("list["):
            sub = klass[5:-1]
            out = []
            if isinstance(raw, list):
                for i, v in enumerate(raw):
                    out.extend(self.unknown_keys(v, sub, "%s[*]" % path))
            return sorted(set(out))
        if klass.startswith("dict("):
            sub = re.match(r"dict\(([^,]*), (.*)\)", klass).group(2)
            out = []
            if isinstance(raw, dict):
                for k, v in raw.items():
                    out.extend(self.unknown_keys(v, sub, "%s.%s" % (path, k)))
            return out
        if klass in ("int", "float", "str", "bool", "date", "datetime", "object", "LocalDateTime", "YearMonth"):
            return []
        cls = getattr(self.sdk.models, klass, None)
        if cls is None or not isinstance(raw, dict):
            return []
        inst = cls()
        by_json = {v: k for k, v in inst.attribute_map.items()}
        out = []
        for k, v in raw.items():
            if k not in by_json:
                out.append("%s.%s" % (path, k))
            else:
                out.extend(self.unknown_keys(v, inst.swagger_types[by_json[k]], "%s.%s" % (path, k)))
        return out

    def check_rate_limit(self):
        limit = self.args.rate_limit or 300
        bound = limit + 20
        before = self.api_requests
        for i in range(1, bound + 1):
            try:
                self.outbound.get_outbound_campaigns(page_size=1, page_number=1)
            except self.sdk.rest.ApiException as e:
                if e.status != 429:
                    raise CheckFailed("request %d: expected 200 or 429, got %s" % (i, describe_api_exception(e)))
                h = e.headers
                require(h is not None, "429 without headers")
                problems = []
                values = {}
                for name in ("Retry-After", "inin-ratelimit-count", "inin-ratelimit-allowed", "inin-ratelimit-reset"):
                    v = h.get(name)
                    values[name] = v
                    if v is None:
                        problems.append("%s missing" % name)
                    elif not re.fullmatch(r"\s*\d+\s*", v):
                        problems.append("%s=%r is not an integer" % (name, v))
                if self.args.rate_limit and values.get("inin-ratelimit-allowed") and \
                        values["inin-ratelimit-allowed"].strip().isdigit() and \
                        int(values["inin-ratelimit-allowed"]) != self.args.rate_limit:
                    problems.append("inin-ratelimit-allowed=%s, emulator runs with --rate-limit %d" % (
                        values["inin-ratelimit-allowed"], self.args.rate_limit))
                if not h.get("ININ-Correlation-ID"):
                    problems.append("ININ-Correlation-ID missing")
                try:
                    body = json.loads(e.body)
                    if not (isinstance(body, dict) and body.get("status") == 429):
                        problems.append("429 body is not an ErrorBody with status 429")
                except (TypeError, ValueError):
                    problems.append("429 body is not JSON")
                self.r.info("rate_limit_429", "429 after %d requests in this loop, %d API requests on this token "
                            "in all; headers %s" % (i - 1, self.api_requests, json.dumps(values)))
                require(not problems, "; ".join(problems))
                return
            if i == 1:
                rl = {n: self.last_header(n) for n in
                      ("inin-ratelimit-count", "inin-ratelimit-allowed", "inin-ratelimit-reset")}
                self.r.info("rate_limit_429", "a 200 response carries %s" % json.dumps(rl))
        raise CheckFailed("no 429 after %d requests (%d API requests on this token before the loop; limit %d/min)"
                          % (bound, before, limit))

    # -- driver ------------------------------------------------------------

    def run(self):
        self.make_client()
        self.run_check("token", self.check_token, needs_token=False)
        self.run_check("list_campaigns_paging", self.check_list)
        if self.token_ok and not self.campaigns:
            self.fallback_listing()
        self.run_check("campaign_models", self.check_models)
        self.run_check("campaign_statuses", self.check_statuses)
        self.run_check("put_current_version", self.check_put_current)
        self.run_check("put_stale_version_409", self.check_put_stale)
        self.run_check("correlation_id_header", self.check_correlation)
        self.run_check("turn_off_stopping_then_off", self.check_turn_off)
        self.run_check("campaign_progress", self.check_progress)
        self.run_check("campaign_stats", self.check_stats)
        self.run_check("queue_members", self.check_queue_members)
        self.run_check("analytics_queue_observations", self.check_analytics)
        self.run_check("json_keys_known", self.check_json_keys)
        # Last: it exhausts the token's rate-limit window.
        self.run_check("rate_limit_429", self.check_rate_limit)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--base", required=True, help="emulator base URL, e.g. http://127.0.0.1:8080")
    ap.add_argument("--client-id", required=True)
    ap.add_argument("--client-secret", required=True)
    ap.add_argument("--rate-limit", type=int, default=None,
                    help="the emulator's --rate-limit (requests/min); the 429 check stops after N+20 requests")
    ap.add_argument("--page-size", type=int, default=5, help="page size for the campaign listing (default 5)")
    ap.add_argument("--stop-timeout", type=float, default=15.0,
                    help="seconds to wait for stopping -> off (default 15; start the emulator with a short "
                         "--stopping-delay)")
    ap.add_argument("--poll-interval", type=float, default=0.2)
    ap.add_argument("--timeout", type=float, default=30.0, help="HTTP read timeout in seconds")
    args = ap.parse_args(argv)

    u = urlparse(args.base)
    if u.scheme not in ("http", "https") or not u.hostname or not is_loopback_host(u.hostname):
        print("error: --base must be an http(s) URL on a loopback host, got %r" % args.base, file=sys.stderr)
        return 2
    if u.path not in ("", "/"):
        print("error: --base must not have a path, got %r" % args.base, file=sys.stderr)
        return 2

    report = Report()
    t0 = time.monotonic()
    try:
        import PureCloudPlatformClientV2 as sdk
        import PureCloudPlatformClientV2.rest  # noqa: F401  (ApiException)
    except ImportError as e:
        report.fail("sdk_import", e)
        print("%d passed, %d failed" % (report.passed, report.failed))
        return 1
    sdk_version = getattr(sdk, "__version__", None)
    if not sdk_version:
        try:
            from importlib.metadata import version
            sdk_version = version("PureCloudPlatformClientV2")
        except Exception:  # noqa: BLE001
            sdk_version = "?"
    report.info("sdk", "PureCloudPlatformClientV2 %s imported in %.1fs; base %s" % (
        sdk_version, time.monotonic() - t0, args.base.rstrip("/")))
    try:
        Conformance(args, sdk, report).run()
    except Exception as e:  # noqa: BLE001
        report.fail("harness", "%s: %s" % (type(e).__name__, e))
    print("%d passed, %d failed" % (report.passed, report.failed), flush=True)
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
