using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Data.Sqlite;
using TicketHub.Contracts;
using TicketHub.Testing.Hostile;

namespace TicketHub.Intake.Tests;

/// <summary>
/// Thousands of generated hostile requests against every public endpoint of intake: each gets a
/// status below 500, a French ProblemDetails when refused, stores nothing when refused, and text
/// accepted comes back exactly as sent (trimmed). The seed is printed; a failure names the request.
/// </summary>
public class HostileInputTests : IntakeTest
{
    /// <summary>A header some clients sent before sign-in existed: now ignored, the token says who acts.</summary>
    private const string UserHeader = "X-TicketHub-User";

    /// <summary>Who every request of the sweep acts as (the client's token), as audits must record it.</summary>
    private static readonly string Acting = TestIdentity.Admin.AuditName;

    private static readonly HashSet<int> NotFound = [404];
    private static readonly HashSet<int> MethodNotAllowed = [405];

    private static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "HEAD", "FOO"];

    private Random _random = null!;
    private HostileSweep _sweep = null!;

    [Test]
    public async Task Hostile_requests_to_every_endpoint_get_a_French_problem_below_500_and_refused_ones_store_nothing()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("TICKETHUB_HOSTILE_SEED"), CultureInfo.InvariantCulture, out var s) ? s : 20261123;
        _random = new Random(seed);
        _sweep = new HostileSweep(Client, seed, SnapshotAsync);

        var scenarios = Tickets;
        var ticket = await scenarios.RoutedAsync(ExternalTools.Glpi);
        var routed = await scenarios.RoutedAsync(ExternalTools.Glpi);
        var forwarded = await scenarios.ForwardedAsync(ExternalTools.Pass, "PASS-2026-1");
        var items = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            var (id, reference) = await scenarios.RoutedAsync(ExternalTools.Pass);
            var item = new RelayItemRequested(Guid.NewGuid(), id, reference, ExternalTools.Pass, RelayItemKinds.Ticket, null,
                $"[{reference}] VPI éteint", "Le VPI de la salle 12 reste éteint.", null, TicketScenarios.T0);
            await scenarios.DeliverAsync(item);
            items.Add(item.ItemId);
        }

        await CreateTicketsAsync(600);
        await GetTicketAsync(ticket, 100);
        await CommentAsync(ticket, 250);
        await RerouteAsync(routed, 280);
        await ReportAsync(forwarded, 250);
        await ListTicketsAsync(150);
        await GetAttachmentAsync(ticket, 60);
        await ListTriageAsync(80);
        await ListRelayAsync(150);
        await GetRelayItemAsync(items, 80);
        await AcknowledgeAsync(items, 200);
        await WrongMethodsAsync(ticket.Id, items[0]);
        await UnknownRoutesAsync(ticket.Id);

        Assert.That(_sweep.Sent, Is.GreaterThan(1_000));
        _sweep.AssertClean("intake");
    }

    [Test]
    public async Task Bidi_overrides_and_isolates_are_refused_in_every_text_field_of_a_ticket_and_in_comments()
    {
        var existing = await Client.PostAsync("/api/v1/tickets", new ByteArrayContent(HostileJson.Serialize(TicketRequestParserTests.ValidBody())) { Headers = { { "Content-Type", "application/json" } } });
        foreach (var text in HostileText.BidiControls)
        {
            foreach (var field in new[] { "title", "description", "location", "equipment" })
            {
                var body = TicketRequestParserTests.ValidBody();
                body[field] = text;
                using var created = await Client.PostAsync("/api/v1/tickets", new ByteArrayContent(HostileJson.Serialize(body)) { Headers = { { "Content-Type", "application/json" } } });
                Assert.That((int)created.StatusCode, Is.EqualTo(422), $"{field}: « {HostileRequest.Printable(text, 100)} »");
            }

            using var comment = await Client.PostAsync($"{existing.Headers.Location}/comments",
                new ByteArrayContent(HostileJson.Serialize(new JsonObject { ["text"] = text })) { Headers = { { "Content-Type", "application/json" } } });
            Assert.That((int)comment.StatusCode, Is.EqualTo(422), $"comment: « {HostileRequest.Printable(text, 100)} »");
        }
    }

    [Test]
    public async Task Markup_injections_right_to_left_text_and_emoji_are_stored_and_returned_exactly_as_sent()
    {
        foreach (var text in HostileText.Valid)
        {
            var body = TicketRequestParserTests.ValidBody();
            body["title"] = text;
            body["description"] = text + "\n" + text;
            body["location"] = text;
            body["requester"]!["name"] = text;
            using var created = await Client.PostAsync("/api/v1/tickets", new ByteArrayContent(HostileJson.Serialize(body)) { Headers = { { "Content-Type", "application/json" } } });
            Assert.That(created.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.Accepted), $"« {HostileRequest.Printable(text, 100)} »: {await created.Content.ReadAsStringAsync()}");

            using var comment = await Client.PostAsync($"{created.Headers.Location}/comments",
                new ByteArrayContent(HostileJson.Serialize(new JsonObject { ["text"] = text })) { Headers = { { "Content-Type", "application/json" } } });
            Assert.That(comment.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.Created), await comment.Content.ReadAsStringAsync());

            var ticket = await GetJsonAsync(created.Headers.Location!.ToString());
            var trimmed = text.Trim();
            var added = ticket.GetProperty("timeline").EnumerateArray().Single(e => e.GetProperty("kind").GetString() == "comment");
            using (Assert.EnterMultipleScope())
            {
                Assert.That(ticket.GetProperty("title").GetString(), Is.EqualTo(trimmed));
                Assert.That(ticket.GetProperty("description").GetString(), Is.EqualTo((text + "\n" + text).Trim()));
                Assert.That(ticket.GetProperty("location").GetString(), Is.EqualTo(trimmed));
                Assert.That(ticket.GetProperty("requester").GetProperty("name").GetString(), Is.EqualTo(trimmed));
                Assert.That(added.GetProperty("text").GetString(), Is.EqualTo(trimmed));
                Assert.That(added.GetProperty("author").GetString(), Is.EqualTo(TestIdentity.Admin.Name));
            }
        }
    }

    private async Task CreateTicketsAsync(int count)
    {
        const string endpoint = "POST /api/v1/tickets";
        JsonField[] fields =
        [
            new("collegeUai", FieldKind.Code, 8, Required: true),
            new("requester", FieldKind.Code, Required: true),
            new("requester.name", FieldKind.SingleLine, 200, Required: true),
            new("requester.email", FieldKind.Code, 254, Required: true),
            new("requester.phone", FieldKind.Code, 30),
            new("zone", FieldKind.Code, 2),
            new("category", FieldKind.Code, 50, Required: true),
            new("type", FieldKind.Code, 10),
            new("buildingImpact", FieldKind.Boolean),
            new("title", FieldKind.SingleLine, 200, Required: true),
            new("description", FieldKind.MultiLine, 10_000, Required: true),
            new("urgency", FieldKind.Code, 10),
            new("location", FieldKind.MultiLine, 200),
            new("equipment", FieldKind.MultiLine, 200),
        ];
        foreach (var variant in HostileJson.Variants(_random, TicketRequestParserTests.ValidBody(), fields, count, rejectsUnknownFields: true, bodyLimit: 256 * 1024, maxDepth: 16))
        {
            var request = new HostileRequest(variant.Category, HttpMethod.Post, "/api/v1/tickets", variant.Body, variant.ContentType, Expected: ExpectOfForm(variant, [202]));
            await _sweep.SendAsync(endpoint, request, answer => VerifyTicketAsync(answer, variant.Sent));
        }

        // Idempotency-Key: garbage is refused before anything is read; a reused key with another body is refused.
        var body = HostileJson.Serialize(TicketRequestParserTests.ValidBody());
        string[] badKeys = [new string('k', 101), "clé", "a b", "a\tb", "\u202Ekey", "😀", "a\u0000b", "a\r\nX-Evil: 1", "k\u007F"];
        foreach (var key in badKeys)
        {
            await _sweep.SendAsync(endpoint, new HostileRequest("idempotency-key", HttpMethod.Post, "/api/v1/tickets", body, HostileJson.Json, [new("Idempotency-Key", key)], [400]));
        }

        for (var i = 0; i < 20; i++)
        {
            var key = $"cle-{_random.Next():x8}-{i}";
            var first = await _sweep.SendAsync(endpoint, new HostileRequest("idempotency-key", HttpMethod.Post, "/api/v1/tickets", body, HostileJson.Json, [new("Idempotency-Key", key)], [202]));
            var again = await _sweep.SendAsync(endpoint, new HostileRequest("idempotency-key", HttpMethod.Post, "/api/v1/tickets", body, HostileJson.Json, [new("Idempotency-Key", key)], [202]));
            Assert.That(again?.Location, Is.EqualTo(first?.Location), "the same key and body give the same ticket");
            var other = TicketRequestParserTests.ValidBody();
            other["title"] = HostileText.AnyValid(_random);
            await _sweep.SendAsync(endpoint, new HostileRequest("idempotency-key", HttpMethod.Post, "/api/v1/tickets", HostileJson.Serialize(other), HostileJson.Json, [new("Idempotency-Key", key)], [422]));
        }
    }

    private async Task GetTicketAsync((Guid Id, string Reference) ticket, int count)
    {
        const string endpoint = "GET /api/v1/tickets/{id}";
        string[] real = [ticket.Id.ToString(), ticket.Id.ToString("N"), ticket.Id.ToString().ToUpperInvariant(), ticket.Reference];
        foreach (var id in real)
        {
            await _sweep.SendAsync(endpoint, new HostileRequest("real-id", HttpMethod.Get, $"/api/v1/tickets/{id}", Expected: [200]));
        }

        for (var i = 0; i < count; i++)
        {
            var (category, id) = HostileId();
            await _sweep.SendAsync(endpoint, new HostileRequest(category, HttpMethod.Get, $"/api/v1/tickets/{id}?{HostileQuery()}", Expected: id.Length == 0 ? [200, 400] : [200, 404]));
        }
    }

    private async Task CommentAsync((Guid Id, string Reference) ticket, int count)
    {
        const string endpoint = "POST /api/v1/tickets/{id}/comments";
        var template = new JsonObject { ["text"] = "Le VPI fait aussi du bruit." };
        JsonField[] fields = [new("text", FieldKind.MultiLine, 5_000, Required: true)];
        foreach (var variant in HostileJson.Variants(_random, template, fields, count, rejectsUnknownFields: true, bodyLimit: 256 * 1024, maxDepth: 16))
        {
            var id = _random.Next(2) == 0 ? ticket.Id.ToString() : ticket.Reference;
            var request = new HostileRequest(variant.Category, HttpMethod.Post, $"/api/v1/tickets/{id}/comments", variant.Body, variant.ContentType, Expected: ExpectOfForm(variant, [201]));
            await _sweep.SendAsync(endpoint, request, answer => VerifyCommentAsync(ticket.Id, answer, variant.Sent));
        }

        await HostileIdsAsync(endpoint, id => $"/api/v1/tickets/{id}/comments", HostileJson.Serialize(template), 40);
    }

    private async Task RerouteAsync((Guid Id, string Reference) ticket, int count)
    {
        const string endpoint = "POST /api/v1/tickets/{id}/reroute";
        JsonField[] fields =
        [
            new("target", FieldKind.Code, 30, Required: true),
            new("queue", FieldKind.SingleLine, 100),
            new("reason", FieldKind.MultiLine, 1_000, Required: true),
        ];
        string[] targets = [RouteTargets.Region, RouteTargets.EntAssistance, RouteTargets.Triage];
        for (var i = 0; i < count; i++)
        {
            var template = new JsonObject { ["target"] = targets[_random.Next(targets.Length)], ["queue"] = $"File {i}", ["reason"] = "Hors du périmètre du Département." };
            var variant = HostileJson.Variant(HostileJson.NextCategory(_random), _random, template, fields, rejectsUnknownFields: true, bodyLimit: 256 * 1024, maxDepth: 16);
            // A valid reroute to where the ticket already is gets 409.
            var request = new HostileRequest(variant.Category, HttpMethod.Post, $"/api/v1/tickets/{ticket.Id}/reroute", variant.Body, variant.ContentType, Expected: Expect(variant.Outcome, [200, 409]));
            await _sweep.SendAsync(endpoint, request, answer => VerifyRerouteAsync(ticket.Id, answer, variant.Sent, Acting));
        }

        var valid = new JsonObject { ["target"] = RouteTargets.Region, ["queue"] = "File unique", ["reason"] = "Hors périmètre." };
        await ForgedUsersAsync(endpoint, $"/api/v1/tickets/{ticket.Id}/reroute", valid, [200, 409], answer => VerifyRerouteAsync(ticket.Id, answer, valid, Acting));
        await HostileIdsAsync(endpoint, id => $"/api/v1/tickets/{id}/reroute", HostileJson.Serialize(valid), 40);
    }

    private async Task ReportAsync((Guid Id, string Reference) ticket, int count)
    {
        const string endpoint = "POST /api/v1/tickets/{id}/external-updates";
        JsonField[] fields =
        [
            new("status", FieldKind.Code, 20),
            new("reply", FieldKind.MultiLine, 5_000),
            new("authorName", FieldKind.SingleLine, 200),
        ];
        var template = new JsonObject { ["status"] = HubStatuses.InProgress, ["reply"] = "Technicien passé, pièce commandée.", ["authorName"] = "M. Durand" };
        foreach (var variant in HostileJson.Variants(_random, template, fields, count, rejectsUnknownFields: true, bodyLimit: 256 * 1024, maxDepth: 16))
        {
            var request = new HostileRequest(variant.Category, HttpMethod.Post, $"/api/v1/tickets/{ticket.Id}/external-updates", variant.Body, variant.ContentType, Expected: Expect(variant.Outcome, [200]));
            await _sweep.SendAsync(endpoint, request, answer => VerifyReplyAsync(ticket.Id, answer, variant.Sent));
        }

        await ForgedUsersAsync(endpoint, $"/api/v1/tickets/{ticket.Id}/external-updates", template, [200], answer => VerifyReplyAsync(ticket.Id, answer, template));
        await HostileIdsAsync(endpoint, id => $"/api/v1/tickets/{id}/external-updates", HostileJson.Serialize(template), 40);
    }

    private async Task ListTriageAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var query = _random.Next(4) == 0 ? HostileQuery() : $"limit={Pick(HostileText.QueryValues)}";
            if (_random.Next(5) == 0)
            {
                query += $"&limit={Pick(HostileText.QueryValues)}";
            }

            await _sweep.SendAsync("GET /api/v1/triage", new HostileRequest("query", HttpMethod.Get, $"/api/v1/triage?{query}", Expected: [200, 400]));
        }
    }

    private async Task ListTicketsAsync(int count)
    {
        string[] names = ["status", "collegeUai", "target", "tool", "ut", "limit", "after"];
        for (var i = 0; i < count; i++)
        {
            var query = string.Join('&', names.Where(_ => _random.Next(2) == 0).Select(name => $"{name}={QueryValue()}"));
            await _sweep.SendAsync("GET /api/v1/tickets", new HostileRequest("query", HttpMethod.Get, $"/api/v1/tickets?{query}", Expected: [200, 400]));
        }
    }

    private async Task GetAttachmentAsync((Guid Id, string Reference) ticket, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var (category, id) = HostileId();
            var path = _random.Next(2) == 0 ? $"/api/v1/tickets/{ticket.Id}/attachments/{id}" : $"/api/v1/tickets/{id}/attachments/{Guid.NewGuid()}";
            await _sweep.SendAsync("GET /api/v1/tickets/{id}/attachments/{attachmentId}", new HostileRequest(category, HttpMethod.Get, path, Expected: NotFound));
        }
    }

    private async Task ListRelayAsync(int count)
    {
        string[] names = ["tool", "queue", "state", "limit", "after"];
        for (var i = 0; i < count; i++)
        {
            var query = string.Join('&', names.Where(_ => _random.Next(2) == 0).Select(name => $"{name}={QueryValue()}"));
            await _sweep.SendAsync("GET /api/v1/relay", new HostileRequest("query", HttpMethod.Get, $"/api/v1/relay?{query}", Expected: [200, 400]));
        }
    }

    private async Task GetRelayItemAsync(List<Guid> items, int count)
    {
        await _sweep.SendAsync("GET /api/v1/relay/{itemId}", new HostileRequest("real-id", HttpMethod.Get, $"/api/v1/relay/{items[0]}", Expected: [200]));
        for (var i = 0; i < count; i++)
        {
            var (category, id) = HostileId();
            await _sweep.SendAsync("GET /api/v1/relay/{itemId}", new HostileRequest(category, HttpMethod.Get, $"/api/v1/relay/{id}", Expected: id.Length == 0 ? [200, 404] : NotFound));
        }
    }

    private async Task AcknowledgeAsync(List<Guid> items, int count)
    {
        const string endpoint = "POST /api/v1/relay/{itemId}/ack";
        JsonField[] fields = [new("externalId", FieldKind.SingleLine, 64)];
        var template = new JsonObject { ["externalId"] = "PASS-2026-42" };
        foreach (var variant in HostileJson.Variants(_random, template, fields, count, rejectsUnknownFields: true, bodyLimit: 256 * 1024, maxDepth: 16))
        {
            // The first number confirmed wins: another one later is a 409; none at all, a 422.
            var request = new HostileRequest(variant.Category, HttpMethod.Post, $"/api/v1/relay/{Pick(items)}/ack", variant.Body, variant.ContentType, Expected: Expect(variant.Outcome, [200, 409, 422]));
            await _sweep.SendAsync(endpoint, request, answer => VerifyAcknowledgementAsync(answer, variant.Sent));
        }

        await ForgedUsersAsync(endpoint, $"/api/v1/relay/{items[^1]}/ack", template, [200, 409], answer => VerifyAcknowledgementAsync(answer, template));
        await HostileIdsAsync(endpoint, id => $"/api/v1/relay/{id}/ack", HostileJson.Serialize(template), 40);
    }

    private async Task WrongMethodsAsync(Guid ticketId, Guid itemId)
    {
        (string Route, string[] Allowed)[] routes =
        [
            ("/api/v1/tickets", ["GET", "POST"]),
            ($"/api/v1/tickets/{ticketId}/attachments/{Guid.NewGuid()}", ["GET"]),
            ($"/api/v1/tickets/{ticketId}", ["GET"]),
            ($"/api/v1/tickets/{ticketId}/comments", ["POST"]),
            ($"/api/v1/tickets/{ticketId}/reroute", ["POST"]),
            ($"/api/v1/tickets/{ticketId}/external-updates", ["POST"]),
            ("/api/v1/triage", ["GET"]),
            ("/api/v1/relay", ["GET"]),
            ($"/api/v1/relay/{itemId}", ["GET"]),
            ($"/api/v1/relay/{itemId}/ack", ["POST"]),
        ];
        foreach (var (route, allowed) in routes)
        {
            foreach (var method in Methods.Except(allowed))
            {
                var body = method is "GET" or "HEAD" or "TRACE" ? null : Encoding.UTF8.GetBytes("{\"text\":\"x\"}");
                await _sweep.SendAsync("wrong methods", new HostileRequest("wrong-method", new HttpMethod(method), route, body, body is null ? null : HostileJson.Json, Expected: MethodNotAllowed));
            }
        }
    }

    private async Task UnknownRoutesAsync(Guid ticketId)
    {
        string[] routes =
        [
            "/api/v1/ticket", "/api/v2/tickets", "/api/v1/tickets/" + ticketId + "/comments/1", "/api/v1/tickets/a/b/c/d",
            "/api/v1/relay/x/ack/y", "/api/v1/colleges", "/api/v1/categories", "/" + new string('a', 5_000), "/api/v1/tickets%2F" + ticketId, "/api/v1/%FF",
            "/api/v1/%E2%80%AEstekcit", "/api/v1/tickets/" + ticketId + "/reroute/..%2F..%2F",
        ];
        foreach (var route in routes)
        {
            foreach (var method in new[] { "GET", "POST" })
            {
                await _sweep.SendAsync("unknown routes", new HostileRequest("unknown-route", new HttpMethod(method), route, Expected: NotFound));
            }
        }
    }

    /// <summary>A valid body on an id that is not a ticket or an item: 404, and nothing stored.</summary>
    private async Task HostileIdsAsync(string endpoint, Func<string, string> target, byte[] body, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var (category, id) = HostileId();
            // An empty id leaves a path no route has: 404 too.
            await _sweep.SendAsync(endpoint, new HostileRequest(category, HttpMethod.Post, target(id), body, HostileJson.Json, Expected: NotFound));
        }
    }

    /// <summary>
    /// A forged <c>X-TicketHub-User</c> header, whatever it holds (blank, huge, control characters,
    /// markup), changes nothing: the request is handled as the token's user, who is the one recorded.
    /// </summary>
    private async Task ForgedUsersAsync(string endpoint, string target, JsonObject body, IReadOnlyCollection<int> accepted, Func<HostileAnswer, Task<string?>> verify)
    {
        string[] forged =
        [
            "", "   ", new string('u', 201), new string('u', 20_000), "a\u0000b", "a\r\nX-Evil: 1", "\u001B[31m", "a\u0085b",
            "' OR 1=1 --", "<script>alert(1)</script>", "\u202Eresu", "Zoë Ørsted-Ñúñez", "😀", "admin.tie@seinesaintdenis.fr",
        ];
        foreach (var user in forged)
        {
            await _sweep.SendAsync(endpoint, new HostileRequest("forged-user-header", HttpMethod.Post, target, HostileJson.Serialize(body), HostileJson.Json, [new(UserHeader, user)], accepted), verify);
        }
    }

    private async Task<string?> VerifyTicketAsync(HostileAnswer answer, JsonObject? sent)
    {
        if (sent is null || answer.Location is null)
        {
            return answer.Location is null ? "202 without Location" : null;
        }

        var ticket = await GetJsonAsync(answer.Location.ToString());
        string[] paths = ["collegeUai", "requester.name", "requester.email", "requester.phone", "zone", "category", "type", "title", "description", "urgency", "location", "equipment"];
        foreach (var path in paths)
        {
            var expected = Stored(sent, path, path switch { "type" => "incident", "urgency" => "normal", _ => null });
            var actual = Read(ticket, path);
            if (actual != expected)
            {
                return $"{path} came back as « {HostileRequest.Printable(actual ?? "(null)", 200)} », sent « {HostileRequest.Printable(expected ?? "(null)", 200)} »";
            }
        }

        return null;
    }

    private async Task<string?> VerifyCommentAsync(Guid ticketId, HostileAnswer answer, JsonObject? sent)
    {
        if (sent is null)
        {
            return null;
        }

        var text = Stored(sent, "text");
        var author = TestIdentity.Admin.Name;
        var ticket = await GetJsonAsync($"/api/v1/tickets/{ticketId}");
        var found = ticket.GetProperty("timeline").EnumerateArray()
            .Any(e => e.GetProperty("kind").GetString() == "comment" && e.GetProperty("text").GetString() == text && e.GetProperty("author").GetString() == author);
        return found ? null : $"no comment « {HostileRequest.Printable(text ?? "", 200)} » by « {author} » in the timeline";
    }

    private async Task<string?> VerifyRerouteAsync(Guid ticketId, HostileAnswer answer, JsonObject? sent, string user)
    {
        if (sent is null)
        {
            return null;
        }

        var ticket = await GetJsonAsync($"/api/v1/tickets/{ticketId}");
        var reason = Stored(sent, "reason")!;
        var route = ticket.GetProperty("route");
        var note = ticket.GetProperty("history").EnumerateArray().Last().GetProperty("note").GetString();
        return route.GetProperty("target").GetString() != Stored(sent, "target") ? "the route was not changed"
            : Read(ticket, "route.queue") != Stored(sent, "queue") ? $"queue came back as « {Read(ticket, "route.queue")} »"
            : !route.GetProperty("explanation").GetString()!.EndsWith(" : " + reason, StringComparison.Ordinal) ? "the explanation does not end with the reason as sent"
            : note is null || !note.StartsWith($"Réorientée par {user} vers ", StringComparison.Ordinal) || !note.EndsWith(" : " + reason, StringComparison.Ordinal)
                ? $"the history note « {HostileRequest.Printable(note ?? "", 300)} » does not hold the user and reason as sent"
                : null;
    }

    private async Task<string?> VerifyReplyAsync(Guid ticketId, HostileAnswer answer, JsonObject? sent)
    {
        var reply = sent is null ? null : Stored(sent, "reply");
        if (reply is null)
        {
            return null;
        }

        var author = Stored(sent!, "authorName", "Le Rectorat (PASS)");
        var ticket = await GetJsonAsync($"/api/v1/tickets/{ticketId}");
        var found = ticket.GetProperty("timeline").EnumerateArray()
            .Any(e => e.GetProperty("kind").GetString() == "reply" && e.GetProperty("text").GetString() == reply && e.GetProperty("author").GetString() == author);
        return found ? null : $"no reply « {HostileRequest.Printable(reply, 200)} » by « {author} » in the timeline";
    }

    private async Task<string?> VerifyAcknowledgementAsync(HostileAnswer answer, JsonObject? sent)
    {
        if (sent is null)
        {
            return null;
        }

        var item = answer.Json();
        var again = await GetJsonAsync($"/api/v1/relay/{item.GetProperty("itemId").GetString()}");
        var stored = again.GetProperty("acknowledgement").GetProperty("externalId").GetString();
        var first = item.GetProperty("acknowledgement").GetProperty("externalId").GetString();
        // A second confirmation with the same number is 200 and keeps the first (same) number.
        return stored == first && (stored == Stored(sent, "externalId") || Stored(sent, "externalId") is null)
            ? null
            : $"externalId came back as « {HostileRequest.Printable(stored ?? "(null)", 100)} », sent « {HostileRequest.Printable(Stored(sent, "externalId") ?? "(null)", 100)} »";
    }

    /// <summary>What the service must store for a text field: trimmed, blank as absent (then <paramref name="fallback"/>).</summary>
    private static string? Stored(JsonObject sent, string path, string? fallback = null)
    {
        var node = HostileJson.Get(sent, path);
        var text = node?.GetValueKind() == JsonValueKind.String ? node.GetValue<string>().Trim() : null;
        return string.IsNullOrEmpty(text) ? fallback : text;
    }

    private static string? Read(JsonElement element, string path)
    {
        foreach (var part in path.Split('.'))
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(part, out element))
            {
                return null;
            }
        }

        return element.ValueKind == JsonValueKind.String ? element.GetString() : null;
    }

    private async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    /// <summary>Rows of every table a request can write to, and the last change of any ticket.</summary>
    private async Task<string> SnapshotAsync()
    {
        await using var connection = new SqliteConnection(Factory.ConnectionString);
        return await connection.ExecuteScalarAsync<string>("""
            SELECT (SELECT COUNT(*) FROM tickets) || ' tickets, ' || (SELECT COUNT(*) FROM ticket_history) || ' history, '
                || (SELECT COUNT(*) FROM ticket_messages) || ' messages, ' || (SELECT COUNT(*) FROM ticket_reroutes) || ' reroutes, '
                || (SELECT COUNT(*) FROM operator_reports) || ' reports, ' || (SELECT COUNT(*) FROM relay_items) || ' relay items ('
                || (SELECT COUNT(*) FROM relay_items WHERE state = 'acknowledged') || ' acknowledged), '
                || (SELECT COUNT(*) FROM outbox_messages) || ' outbox, last change ' || (SELECT IFNULL(MAX(updated_at), '') FROM tickets)
            """) ?? "";
    }

    private static IReadOnlyCollection<int>? Expect(Outcome outcome, IReadOnlyCollection<int> valid) => outcome switch
    {
        Outcome.Valid => valid,
        Outcome.Invalid => new HashSet<int> { 422 },
        Outcome.Malformed => new HashSet<int> { 400 },
        Outcome.WrongContentType => new HashSet<int> { 415 },
        Outcome.TooLarge => new HashSet<int> { 413 },
        Outcome.Rejected => new HashSet<int> { 400, 422 },
        _ => null,
    };

    /// <summary>
    /// For the endpoints that also take a form with files (a ticket, a comment): a JSON body declared
    /// <c>multipart/form-data</c> is a malformed form (400), not a type they refuse (415).
    /// </summary>
    private static IReadOnlyCollection<int>? ExpectOfForm(BodyVariant variant, IReadOnlyCollection<int> valid) =>
        variant.Outcome == Outcome.WrongContentType && variant.ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) == true
            ? new HashSet<int> { 400 }
            : Expect(variant.Outcome, valid);

    private (string Category, string Id) HostileId() => _random.Next(6) switch
    {
        0 => ("unknown-guid", Guid.NewGuid().ToString()),
        1 => ("long-id", HostileText.Long(_random.Next(300, 10_000), _random)),
        2 => ("hostile-id", Uri.EscapeDataString(HostileText.AnyValid(_random))),
        _ => ("hostile-id", Pick(HostileText.PathSegments)),
    };

    private string HostileQuery() => $"{Uri.EscapeDataString(HostileText.AnyValid(_random))}={QueryValue()}";

    private string QueryValue() => _random.Next(4) == 0 ? Uri.EscapeDataString(HostileText.AnyValid(_random)) : Pick(HostileText.QueryValues);

    private T Pick<T>(IReadOnlyList<T> values) => values[_random.Next(values.Count)];
}
