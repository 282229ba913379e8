using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Refit;
using TicketHub.Connectors.Glpi.Forwarding;
using TicketHub.Connectors.Glpi.Glpi;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace TicketHub.Connectors.Glpi.Tests;

/// <summary>The GLPI client against a WireMock GLPI: headers, payloads, sessions, errors, retries.</summary>
public sealed class GlpiClientTests
{
    private static FakeGlpi Glpi => GlpiServers.Glpi;

    private GlpiClientHost _host = null!;

    [SetUp]
    public void SetUp()
    {
        Glpi.Reset();
        _host = new GlpiClientHost(Glpi.ApiUrl);
    }

    [TearDown]
    public void TearDown() => _host.Dispose();

    [Test]
    public async Task Opens_the_session_with_the_user_token_and_the_app_token()
    {
        Glpi.AcceptsLogin("session-1");
        Glpi.HasTicket(5, "TH-5");

        var ticket = await _host.Api.GetTicketAsync(5, CancellationToken.None);

        Assert.That(ticket.Name, Is.EqualTo("[TH-5] Imprimante de la salle 12 en panne"));
        var login = Glpi.Requests("GET", "/initSession").Single();
        Assert.That(FakeGlpi.Header(login, "Authorization"), Is.EqualTo("user_token " + FakeGlpi.UserToken));
        Assert.That(FakeGlpi.Header(login, "App-Token"), Is.EqualTo(FakeGlpi.AppToken));
        var read = Glpi.Requests("GET", "/Ticket/5").Single();
        Assert.That(FakeGlpi.Header(read, "Session-Token"), Is.EqualTo("session-1"));
        Assert.That(FakeGlpi.Header(read, "App-Token"), Is.EqualTo(FakeGlpi.AppToken));
    }

    [Test]
    public async Task Shares_one_session_between_calls_even_concurrent_ones()
    {
        Glpi.AcceptsLogin("session-1");
        Glpi.HasTicket(5, "TH-5");

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _host.Api.GetTicketAsync(5, CancellationToken.None)));

        Assert.That(Glpi.Requests("GET", "/initSession"), Has.Count.EqualTo(1));
        Assert.That(Glpi.Requests("GET", "/Ticket/5"), Has.Count.EqualTo(8));
    }

    [Test]
    public async Task Sends_the_ticket_exactly_as_GLPI_expects_it()
    {
        Glpi.AcceptsLogin("session-1");
        Glpi.CreatesTicket(15);
        var mapper = new GlpiTicketMapper(Options.Create(new GlpiOptions
        {
            Mapping = new GlpiMappingOptions
            {
                Entities = new(StringComparer.OrdinalIgnoreCase) { ["0931234X"] = 12 },
                Categories = new(StringComparer.OrdinalIgnoreCase) { ["imprimante"] = 7 },
            },
        }));

        var created = await _host.Api.CreateTicketAsync(new GlpiInput<GlpiTicketInput>(mapper.Map(TestTickets.Routed(flags: ["dat-amiante"]), new GlpiRequester(7, "claire.martin@ac-creteil.fr"), sendExternalId: false)), CancellationToken.None);

        Assert.That(created.Id, Is.EqualTo(15));
        var post = Glpi.Requests("POST", "/Ticket").Single();
        Assert.That(FakeGlpi.Header(post, "Content-Type"), Does.StartWith("application/json"));
        var expected = new JsonObject
        {
            ["input"] = new JsonObject
            {
                ["name"] = "[TH-2026-000042] Imprimante de la salle 12 en panne",
                ["content"] =
                    "<p>Demande transmise par TicketHub, référence <strong>TH-2026-000042</strong>.</p>"
                    + "<p><strong>⚠ DAT amiante</strong> : collège construit avant 1997. Un diagnostic amiante avant travaux est nécessaire avant d'installer ou de déplacer un VPI/ENI ; prévoir le délai.</p>"
                    + "<h3>Description</h3><p>L&#39;imprimante affiche « erreur 50 ».<br>Elle ne sort plus rien depuis lundi.</p>"
                    + "<h3>Demandeur</h3><ul><li>Nom : Claire Martin</li><li>Courriel : claire.martin@ac-creteil.fr</li><li>Téléphone : 01 48 00 00 00</li></ul>"
                    + "<h3>Lieu et matériel</h3><ul><li>Collège : Collège Jean Moulin (0931234X), Montreuil</li><li>Zone : ZP</li><li>Emplacement : Salle 12, bâtiment B</li><li>Équipement : HP LaserJet M404</li></ul>"
                    + "<h3>Orientation</h3><p>Le matériel est en zone pédagogique : c&#39;est l&#39;infogérant du Département qui intervient.</p>"
                    + "<p>Règle R4 (jeu de règles 93-2026.1).</p>",
                ["entities_id"] = 12,
                ["itilcategories_id"] = 7,
                ["type"] = 1,
                ["urgency"] = 4,
                ["_users_id_requester"] = 7,
            },
        };
        var sent = JsonNode.Parse(post.RequestMessage.Body!);
        Assert.That(JsonNode.DeepEquals(sent, expected), Is.True, $"sent: {sent?.ToJsonString()}");
    }

    [Test]
    public async Task Opens_a_new_session_once_and_sends_the_creation_again_when_GLPI_says_the_session_expired()
    {
        Glpi.AcceptsLogin("session-1", "session-2");
        Glpi.ExpiresSession("session-1");
        Glpi.CreatesTicket(15);

        var created = await _host.Api.CreateTicketAsync(new GlpiInput<GlpiTicketInput>(SampleInput()), CancellationToken.None);

        Assert.That(created.Id, Is.EqualTo(15));
        Assert.That(Glpi.Requests("GET", "/initSession"), Has.Count.EqualTo(2));
        var posts = Glpi.Requests("POST", "/Ticket");
        Assert.That(posts.Select(post => FakeGlpi.Header(post, "Session-Token")), Is.EqualTo(new[] { "session-1", "session-2" }));
        Assert.That(posts[1].RequestMessage.Body, Is.EqualTo(posts[0].RequestMessage.Body).And.Contains("Vid"), "the body is sent whole both times");
    }

    [Test]
    public async Task Renews_the_session_only_once_when_GLPI_keeps_refusing_it()
    {
        Glpi.AcceptsLogin("session-1", "session-2");
        Glpi.ExpiresSession("session-1");
        Glpi.ExpiresSession("session-2");

        var error = await Assert.ThrowsAsync<ApiException>(() => _host.Api.GetTicketAsync(5, CancellationToken.None));

        Assert.That(error!.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(GlpiError.From(error.StatusCode, error.Content).Code, Is.EqualTo("ERROR_SESSION_TOKEN_INVALID"));
        Assert.That(Glpi.Requests("GET", "/initSession"), Has.Count.EqualTo(2));
        Assert.That(Glpi.Requests("GET", "/Ticket/5"), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Reports_a_refused_login_with_GLPI_error_and_the_settings_to_check()
    {
        Glpi.RefusesLogin(401, "ERROR_GLPI_LOGIN_USER_TOKEN", "parameter user_token seems invalid");

        var error = await Assert.ThrowsAsync<ApiRequestException>(() => _host.Api.GetTicketAsync(5, CancellationToken.None));

        var refused = error!.InnerException as GlpiException;
        Assert.That(refused?.Error.Code, Is.EqualTo("ERROR_GLPI_LOGIN_USER_TOKEN"));
        Assert.That(refused!.Message, Does.Contain("parameter user_token seems invalid").And.Contain("Glpi:UserToken"));
        Assert.That(Glpi.Requests("GET", "/Ticket/5"), Is.Empty);
    }

    [Test]
    public async Task Leaves_no_token_in_the_exceptions_a_failed_call_throws()
    {
        Glpi.AcceptsLogin("session-1", "session-2");
        Glpi.ExpiresSession("session-1");
        Glpi.ExpiresSession("session-2");
        var expired = await Assert.ThrowsAsync<ApiException>(() => _host.Api.GetTicketAsync(5, CancellationToken.None));
        Glpi.Reset();
        Glpi.RefusesLogin(400, "ERROR_WRONG_APP_TOKEN_PARAMETER", "parameter app_token seems wrong");
        using var host = new GlpiClientHost(Glpi.ApiUrl);
        var refused = await Assert.ThrowsAsync<ApiRequestException>(() => host.Api.GetTicketAsync(5, CancellationToken.None));

        foreach (var text in new[] { expired!.ToString(), refused!.ToString(), refused.InnerException!.ToString() })
        {
            Assert.That(text, Does.Not.Contain(FakeGlpi.AppToken).And.Not.Contain(FakeGlpi.UserToken).And.Not.Contain("session-"));
        }
    }

    [Test]
    public async Task Surfaces_GLPI_error_code_and_message_when_it_refuses_a_ticket()
    {
        Glpi.AcceptsLogin("session-1");
        Glpi.RefusesTicket(400, "ERROR_GLPI_ADD", "You don't have permission to perform this action.");

        var error = await Assert.ThrowsAsync<ApiException>(() => _host.Api.CreateTicketAsync(new GlpiInput<GlpiTicketInput>(SampleInput()), CancellationToken.None));

        var glpiError = GlpiError.From(error!.StatusCode, error.Content);
        Assert.That(glpiError, Is.EqualTo(new GlpiError(HttpStatusCode.BadRequest, "ERROR_GLPI_ADD", "You don't have permission to perform this action.")));
        Assert.That(glpiError.IsRefusal, Is.True);
    }

    [Test]
    public async Task Never_retries_a_creation_that_failed_on_the_server()
    {
        Glpi.AcceptsLogin("session-1");
        Glpi.RefusesTicket(503, "ERROR", "Service Unavailable");

        var error = await Assert.ThrowsAsync<ApiException>(() => _host.Api.CreateTicketAsync(new GlpiInput<GlpiTicketInput>(SampleInput()), CancellationToken.None));

        Assert.That(error!.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(Glpi.Requests("POST", "/Ticket"), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Retries_a_read_after_a_server_error_when_Retry_After_allows()
    {
        Glpi.AcceptsLogin("session-1");
        Glpi.Server.Given(Request.Create().WithPath(FakeGlpi.ApiPath + "/Ticket/5").UsingGet()).InScenario("busy")
            .WillSetStateTo("recovered")
            .RespondWith(FakeGlpi.Error(503, "ERROR", "busy").WithHeader("Retry-After", "0"));
        Glpi.Server.Given(Request.Create().WithPath(FakeGlpi.ApiPath + "/Ticket/5").UsingGet()).InScenario("busy").WhenStateIs("recovered")
            .RespondWith(FakeGlpi.Json(200, FakeGlpi.Ticket(5, "TH-5")));

        var ticket = await _host.Api.GetTicketAsync(5, CancellationToken.None);

        Assert.That(ticket.Id, Is.EqualTo(5));
        Assert.That(Glpi.Requests("GET", "/Ticket/5"), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Retries_a_read_answered_429_no_sooner_than_Retry_After_asks()
    {
        Glpi.AcceptsLogin("session-1");
        Glpi.Server.Given(Request.Create().WithPath(FakeGlpi.ApiPath + "/Ticket/5").UsingGet()).InScenario("busy")
            .WillSetStateTo("calm")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "1"));
        Glpi.Server.Given(Request.Create().WithPath(FakeGlpi.ApiPath + "/Ticket/5").UsingGet()).InScenario("busy").WhenStateIs("calm")
            .RespondWith(FakeGlpi.Json(200, FakeGlpi.Ticket(5, "TH-5")));

        var ticket = await _host.Api.GetTicketAsync(5, CancellationToken.None);

        Assert.That(ticket.Id, Is.EqualTo(5));
        var reads = Glpi.Requests("GET", "/Ticket/5").OrderBy(read => read.RequestMessage.DateTime).ToList();
        Assert.That(reads, Has.Count.EqualTo(2));
        Assert.That(reads[1].RequestMessage.DateTime - reads[0].RequestMessage.DateTime, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(900)),
            "Retry-After: 1 replaces the backoff and its jitter");
    }

    [Test]
    public async Task Stops_calling_GLPI_while_its_circuit_is_open_after_repeated_failures()
    {
        Glpi.AcceptsLogin("session-1");
        Glpi.Server.Given(Request.Create().WithPath(FakeGlpi.ApiPath + "/Ticket/5").UsingGet())
            .RespondWith(FakeGlpi.Error(503, "ERROR", "Service Unavailable").WithHeader("Retry-After", "0"));

        // Each call is an attempt and three retries; the breaker opens once half of 10 attempts failed.
        var calls = 0;
        Exception? failure;
        do
        {
            calls++;
            failure = await FailureOfAsync(() => _host.Api.GetTicketAsync(5, CancellationToken.None));
        }
        while (!IsBrokenCircuit(failure) && calls < 10);

        Assert.That(IsBrokenCircuit(failure), Is.True, $"the circuit never opened: {failure}");
        Assert.That(calls, Is.LessThanOrEqualTo(3), "10 failed attempts are enough");
        var reached = Glpi.Requests("GET", "/Ticket/5").Count;
        Assert.That(IsBrokenCircuit(await FailureOfAsync(() => _host.Api.GetTicketAsync(5, CancellationToken.None))), Is.True);
        Assert.That(Glpi.Requests("GET", "/Ticket/5"), Has.Count.EqualTo(reached), "an open circuit fails at once, without calling GLPI");
    }

    [Test]
    public async Task Finds_the_ticket_whose_title_carries_exactly_the_reference()
    {
        Glpi.AcceptsLogin("session-1");
        Glpi.ListsTickets((31, "TH-10"), (30, "TH-1"), (32, "TH-100"));

        var found = await _host.Api.FindTicketByReferenceAsync("TH-1", externalIdOption: null, openedSince: null, CancellationToken.None);

        Assert.That(found, Is.EqualTo(30));
        var search = Glpi.Requests("GET", "/search/Ticket").Single();
        Assert.That(FakeGlpi.Query(search, "criteria[0][field]"), Is.EqualTo("1"), "the title");
        Assert.That(FakeGlpi.Query(search, "criteria[0][searchtype]"), Is.EqualTo("contains"));
        Assert.That(FakeGlpi.Query(search, "criteria[0][value]"), Is.EqualTo("TH-1"));
        Assert.That(FakeGlpi.Query(search, "criteria[1][link]"), Is.EqualTo("OR"));
        Assert.That(FakeGlpi.Query(search, "criteria[1][field]"), Is.EqualTo("21"), "or the description");
        Assert.That(FakeGlpi.Query(search, "criteria[2][field]"), Is.Null, "GLPI 10 has no externalid to search");
        Assert.That(FakeGlpi.Query(search, "range"), Is.EqualTo("0-49"));
    }

    [Test]
    public async Task Searches_externalid_too_in_a_GLPI_that_has_it()
    {
        Glpi.AcceptsLogin("session-1");
        Glpi.Server.Given(Request.Create().WithPath(FakeGlpi.ApiPath + "/search/Ticket").UsingGet())
            .RespondWith(FakeGlpi.Json(200, JsonNode.Parse("""{"totalcount":2,"count":2,"data":[{"2":8,"1":"Renommé par un technicien","21":"","91":"TH-1"},{"2":9,"1":"Autre","21":"","91":"TH-10"}],"content-range":"0-1/2"}""")!));

        var found = await _host.Api.FindTicketByReferenceAsync("TH-1", externalIdOption: 91, openedSince: null, CancellationToken.None);

        Assert.That(found, Is.EqualTo(8));
        var search = Glpi.Requests("GET", "/search/Ticket").Single();
        Assert.That(FakeGlpi.Query(search, "criteria[2][field]"), Is.EqualTo("91"));
    }

    [Test]
    public async Task Looks_for_the_reference_on_the_next_pages_when_GLPI_has_more()
    {
        Glpi.AcceptsLogin("session-1");
        var firstPage = new JsonArray([.. Enumerable.Range(100, 50).Select(id => (JsonNode)new JsonObject { ["2"] = id, ["1"] = $"[TH-1{id}] Autre" })]);
        Glpi.Server.Given(Request.Create().WithPath(FakeGlpi.ApiPath + "/search/Ticket").UsingGet().WithParam("range", "0-49"))
            .RespondWith(FakeGlpi.Json(206, new JsonObject { ["totalcount"] = 51, ["count"] = 50, ["data"] = firstPage, ["content-range"] = "0-49/51" })
                .WithHeader("Content-Range", "0-49/51"));
        Glpi.Server.Given(Request.Create().WithPath(FakeGlpi.ApiPath + "/search/Ticket").UsingGet().WithParam("range", "50-99"))
            .RespondWith(FakeGlpi.Json(206, JsonNode.Parse("""{"totalcount":51,"count":1,"data":[{"2":7,"1":"[TH-1] Imprimante"}],"content-range":"50-50/51"}""")!)
                .WithHeader("Content-Range", "50-50/51"));

        var found = await _host.Api.FindTicketByReferenceAsync("TH-1", externalIdOption: null, openedSince: null, CancellationToken.None);

        Assert.That(found, Is.EqualTo(7));
        Assert.That(Glpi.Requests("GET", "/search/Ticket"), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Stops_paging_when_GLPI_says_the_range_exceeds_the_total()
    {
        Glpi.AcceptsLogin("session-1");
        var firstPage = new JsonArray([.. Enumerable.Range(100, 50).Select(id => (JsonNode)new JsonObject { ["2"] = id, ["1"] = $"[TH-1{id}] Autre" })]);
        Glpi.Server.Given(Request.Create().WithPath(FakeGlpi.ApiPath + "/search/Ticket").UsingGet().WithParam("range", "0-49"))
            .RespondWith(FakeGlpi.Json(206, new JsonObject { ["totalcount"] = 60, ["count"] = 50, ["data"] = firstPage, ["content-range"] = "0-49/60" })
                .WithHeader("Content-Range", "0-49/60"));
        // Tickets were deleted between the two pages.
        Glpi.Server.Given(Request.Create().WithPath(FakeGlpi.ApiPath + "/search/Ticket").UsingGet().WithParam("range", "50-99"))
            .RespondWith(FakeGlpi.Error(400, "ERROR_RANGE_EXCEED_TOTAL", "Provided range exceed total count of data: 49"));

        Assert.That(await _host.Api.FindTicketByReferenceAsync("TH-1", externalIdOption: null, openedSince: null, CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task Finds_nothing_when_only_similar_references_exist()
    {
        Glpi.AcceptsLogin("session-1");
        Glpi.ListsTickets((31, "TH-10"), (32, "TH-100"));

        Assert.That(await _host.Api.FindTicketByReferenceAsync("TH-1", externalIdOption: null, openedSince: null, CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task Takes_no_ticket_opened_more_than_a_day_before_the_first_attempt_an_earlier_installation_s_reference()
    {
        Glpi.AcceptsLogin("session-1");
        var firstAttempt = DateTimeOffset.UtcNow;
        Glpi.ListsTicketsOpenedAt(firstAttempt.AddDays(-40), (12, "TH-1"));

        Assert.That(await _host.Api.FindTicketByReferenceAsync("TH-1", externalIdOption: null, openedSince: firstAttempt, CancellationToken.None), Is.Null,
            "a hub reinstalled on an empty database numbers from 1 again");
        Assert.That(await _host.Api.FindTicketByReferenceAsync("TH-1", externalIdOption: null, openedSince: firstAttempt.AddDays(-40), CancellationToken.None), Is.EqualTo(12));
        var search = Glpi.Requests("GET", "/search/Ticket")[0];
        Assert.That(FakeGlpi.Query(search, "forcedisplay[4]"), Is.EqualTo("15"), "the opening date asked for");
    }

    [Test]
    public async Task Takes_a_ticket_opened_within_a_day_before_the_first_attempt_whatever_GLPI_s_time_zone()
    {
        Glpi.AcceptsLogin("session-1");
        var firstAttempt = DateTimeOffset.UtcNow;
        // GLPI shows its server's local time without an offset: up to 14 hours from UTC.
        Glpi.ListsTicketsOpenedAt(firstAttempt.AddHours(-14), (12, "TH-1"));

        Assert.That(await _host.Api.FindTicketByReferenceAsync("TH-1", externalIdOption: null, openedSince: firstAttempt, CancellationToken.None), Is.EqualTo(12));
    }

    [Test]
    public async Task Takes_a_candidate_whose_opening_date_cannot_be_read_for_an_error_not_for_another_ticket()
    {
        Glpi.AcceptsLogin("session-1");
        Glpi.Server.Given(Request.Create().WithPath(FakeGlpi.ApiPath + "/search/Ticket").UsingGet())
            .RespondWith(FakeGlpi.Json(200, JsonNode.Parse("""{"totalcount":1,"count":1,"data":[{"2":8,"1":"[TH-1] Imprimante","21":"","15":null}],"content-range":"0-0/1"}""")!));

        var failure = await Assert.ThrowsAsync<GlpiException>(() => _host.Api.FindTicketByReferenceAsync("TH-1", externalIdOption: null, openedSince: DateTimeOffset.UtcNow, CancellationToken.None));

        Assert.That(failure!.Error.Code, Is.EqualTo(GlpiApiExtensions.UnreadableCode));
    }

    [Test]
    public async Task Reads_GLPI_s_empty_search_without_data_as_nothing_found()
    {
        Glpi.AcceptsLogin("session-1");
        Glpi.Server.Given(Request.Create().WithPath(FakeGlpi.ApiPath + "/search/Ticket").UsingGet())
            .RespondWith(FakeGlpi.Json(200, JsonNode.Parse(FakeGlpi.RealAnswer("search-ticket-empty.json"))!));

        Assert.That(await _host.Api.FindTicketByReferenceAsync("TH-1", externalIdOption: null, openedSince: null, CancellationToken.None), Is.Null);
    }

    [TestCase("text/html; charset=UTF-8", "", TestName = "Takes_an_empty_HTML_answer_to_a_lookup_for_an_error_not_for_nothing_found")]
    [TestCase("application/json; charset=UTF-8", "[]", TestName = "Takes_a_JSON_list_answer_to_a_lookup_for_an_error_not_for_nothing_found")]
    [TestCase("application/json; charset=UTF-8", "{\"message\":\"maintenance\"}", TestName = "Takes_an_unexpected_JSON_answer_to_a_lookup_for_an_error_not_for_nothing_found")]
    public async Task Takes_an_unreadable_answer_to_a_lookup_for_an_error(string contentType, string body)
    {
        Glpi.AcceptsLogin("session-1");
        Glpi.Server.Given(Request.Create().WithPath(FakeGlpi.ApiPath + "/search/Ticket").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", contentType).WithBody(body));

        var failure = await Assert.ThrowsAsync<GlpiException>(() => _host.Api.FindTicketByReferenceAsync("TH-1", externalIdOption: null, openedSince: null, CancellationToken.None));

        Assert.That(failure!.Error.Code, Is.EqualTo(GlpiApiExtensions.UnreadableCode));
    }

    [Test]
    public async Task Finds_the_GLPI_user_whose_e_mail_is_exactly_the_requester_s()
    {
        Glpi.AcceptsLogin("session-1");
        Glpi.Server.Given(Request.Create().WithPath(FakeGlpi.ApiPath + "/search/User").UsingGet())
            .RespondWith(FakeGlpi.Json(200, JsonNode.Parse(FakeGlpi.RealAnswer("search-user-by-email.json"))!));

        var found = await _host.Api.FindUserByEmailAsync("Claire.Dubois@0931234x.example.fr", CancellationToken.None);
        var other = await _host.Api.FindUserByEmailAsync("dubois@0931234x.example.fr", CancellationToken.None);

        Assert.That(found, Is.EqualTo(7), "e-mails compare without case");
        Assert.That(other, Is.Null, "a LIKE match is not the same address");
        var search = Glpi.Requests("GET", "/search/User")[0];
        Assert.That(FakeGlpi.Query(search, "criteria[0][field]"), Is.EqualTo("5"));
        Assert.That(FakeGlpi.Query(search, "criteria[1][field]"), Is.EqualTo("8"), "active users only");
    }

    [Test]
    public async Task Detects_that_GLPI_10_has_no_externalid_from_its_search_options()
    {
        Glpi.AcceptsLogin("session-1");

        Assert.That(await _host.Api.FindExternalIdOptionAsync(CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task Detects_the_externalid_search_option_of_GLPI_11()
    {
        Glpi.AcceptsLogin("session-1");
        var options = JsonNode.Parse(FakeGlpi.RealAnswer("listSearchOptions-Ticket.json"))!.AsObject();
        options["91"] = new JsonObject { ["table"] = "glpi_tickets", ["field"] = "externalid", ["name"] = "Identifiant externe", ["datatype"] = "string" };
        Glpi.Server.Given(Request.Create().WithPath(FakeGlpi.ApiPath + "/listSearchOptions/Ticket").UsingGet())
            .RespondWith(FakeGlpi.Json(200, options));

        Assert.That(await _host.Api.FindExternalIdOptionAsync(CancellationToken.None), Is.EqualTo(91));
    }

    [Test]
    public async Task Searches_tickets_modified_since_a_date_written_in_GLPI_time_zone()
    {
        Glpi.AcceptsLogin("session-1");
        Glpi.Server.Given(Request.Create().WithPath(FakeGlpi.ApiPath + "/search/Ticket").UsingGet())
            .RespondWith(FakeGlpi.Json(200, JsonNode.Parse("""{"totalcount":1,"count":1,"data":[{"2":15,"12":"5","19":"2026-11-20 11:00:00","27":"2"}],"content-range":"0-0/1"}""")!));
        var paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

        var since = GlpiApiExtensions.ToGlpiDate(new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero), paris);
        var page = await _host.Api.SearchTicketsModifiedSinceAsync(since, 0, 50, externalIdOption: null, CancellationToken.None);

        Assert.That(page.Total, Is.EqualTo(1));
        Assert.That(page.HasMore, Is.False);
        Assert.That(page.Rows, Is.EqualTo(new[] { new GlpiSearchRow(15, 5, "2026-11-20 11:00:00", 2, null) }), "numbers come as numbers or strings");
        var search = Glpi.Requests("GET", "/search/Ticket").Single();
        Assert.That(FakeGlpi.Query(search, "criteria[0][field]"), Is.EqualTo("19"));
        Assert.That(FakeGlpi.Query(search, "criteria[0][searchtype]"), Is.EqualTo("morethan"));
        Assert.That(FakeGlpi.Query(search, "criteria[0][value]"), Is.EqualTo("2026-11-20 10:00:00"),
            "09:00 UTC is 10:00 in Paris in November, written without offset nor Z: GLPI ignores a date it cannot parse, and reads a Z date as Paris time");
        Assert.That(new[] { 0, 1, 2, 3, 4 }.Select(i => FakeGlpi.Query(search, $"forcedisplay[{i}]")), Is.EqualTo(new[] { "2", "12", "19", "27", null }),
            "GLPI 10 has no externalid column to show");
        Assert.That(FakeGlpi.Query(search, "sort"), Is.EqualTo("19"));
        Assert.That(FakeGlpi.Query(search, "order"), Is.EqualTo("ASC"));
        Assert.That(FakeGlpi.Query(search, "range"), Is.EqualTo("0-49"));
    }

    [Test]
    public async Task Reads_every_page_of_a_ticket_s_follow_ups()
    {
        Glpi.AcceptsLogin("session-1");
        var firstPage = new JsonArray([.. Enumerable.Range(1, 50).Select(id => (JsonNode)FakeGlpi.Followup(id, 15, 5, $"suivi {id}", "2026-11-20 10:00:00"))]);
        Glpi.Server.Given(Request.Create().WithPath(FakeGlpi.ApiPath + "/Ticket/15/ITILFollowup").UsingGet().WithParam("range", "0-49"))
            .RespondWith(FakeGlpi.Json(206, firstPage).WithHeader("Content-Range", "0-49/51"));
        Glpi.Server.Given(Request.Create().WithPath(FakeGlpi.ApiPath + "/Ticket/15/ITILFollowup").UsingGet().WithParam("range", "50-99"))
            .RespondWith(FakeGlpi.Json(206, new JsonArray(FakeGlpi.Followup(51, 15, 5, "suivi 51", "2026-11-20 10:00:00"))).WithHeader("Content-Range", "50-50/51"));

        var followups = await _host.Api.GetAllFollowupsAsync(15, CancellationToken.None);

        Assert.That(followups.Select(followup => followup.Id), Is.EqualTo(Enumerable.Range(1, 51)));
        Assert.That(Glpi.Requests("GET", "/Ticket/15/ITILFollowup"), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Never_writes_the_tokens_in_the_logs()
    {
        Glpi.AcceptsLogin("session-1", "session-2");
        Glpi.ExpiresSession("session-1");
        Glpi.CreatesTicket(15);

        await _host.Api.CreateTicketAsync(new GlpiInput<GlpiTicketInput>(SampleInput()), CancellationToken.None);
        await _host.Sessions.StopAsync(CancellationToken.None);

        Assert.That(_host.Logs.Lines, Is.Not.Empty);
        Assert.That(_host.Logs.Lines, Has.None.Contains(FakeGlpi.AppToken).And.None.Contains(FakeGlpi.UserToken)
            .And.None.Contains("session-1").And.None.Contains("session-2"));
        Assert.That(Glpi.Requests("GET", "/killSession").Select(kill => FakeGlpi.Header(kill, "Session-Token")), Is.EqualTo(new[] { "session-2" }),
            "the session is closed when the service stops");
    }

    private static async Task<Exception?> FailureOfAsync(Func<Task> call)
    {
        try
        {
            await call();
            return null;
        }
        catch (Exception ex) when (ex is ApiException or ApiRequestException)
        {
            return ex;
        }
    }

    /// <summary>Refit wraps what the HTTP pipeline throws (here Polly's open circuit) in an ApiRequestException.</summary>
    private static bool IsBrokenCircuit(Exception? failure) => failure?.InnerException is BrokenCircuitException;

    private static GlpiTicketInput SampleInput() => new()
    {
        Name = "Vidéoprojecteur",
        Content = "<p>Ne s'allume plus.</p>",
        EntityId = 12,
        Type = 1,
        Urgency = 3,
    };
}
