using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Refit;
using TicketHub.Connectors.Itop.Forwarding;
using TicketHub.Connectors.Itop.Itop;
using TicketHub.Connectors.Itop.Sync;
using WireMock.ResponseBuilders;

namespace TicketHub.Connectors.Itop.Tests;

/// <summary>The iTop client against a WireMock rest.php: form, json_data, codes in HTTP 200, retries, secrets.</summary>
public sealed class ItopClientTests
{
    private static FakeItop Itop => ItopServers.Itop;

    private ItopClientHost _host = null!;

    [SetUp]
    public void SetUp()
    {
        Itop.Reset();
        _host = new ItopClientHost(Itop.ApiUrl);
    }

    [TearDown]
    public void TearDown() => _host.Dispose();

    [Test]
    public async Task Sends_the_creation_exactly_as_iTop_expects_it()
    {
        Itop.CreatesRequest(15);
        var options = Options.Create(new ItopOptions
        {
            TicketClasses = ItopTicketClasses.Itil,
            Mapping = new ItopMappingOptions
            {
                DefaultOrgId = 1,
                Orgs = new(StringComparer.OrdinalIgnoreCase) { ["0931234X"] = 12 },
                CallerId = 34,
                Services = new(StringComparer.OrdinalIgnoreCase) { ["imprimante"] = 7 },
                ServiceSubcategories = new(StringComparer.OrdinalIgnoreCase) { ["imprimante"] = 21 },
            },
        });
        using var classes = new ItopTicketClasses(new ServiceCollection().BuildServiceProvider(), options, NullLogger<ItopTicketClasses>.Instance);
        var mapper = new ItopTicketMapper(options, classes);
        var draft = await mapper.MapAsync(TestTickets.Routed(flags: ["dat-amiante"], ticketId: Guid.Parse("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b")), CancellationToken.None);

        var created = await _host.Client.CreateTicketAsync(draft.Class, draft.Fields, "TicketHub TH-2026-000042", CancellationToken.None);

        Assert.That(created.Key, Is.EqualTo(15));
        Assert.That(created.Fields.Ref, Is.EqualTo("R-000015"));
        var call = Itop.Requests("core/create").Single();
        Assert.That(call.RequestMessage.Query!["version"].Single(), Is.EqualTo("1.3"));
        var form = FakeItop.Form(call);
        Assert.That(form.Keys, Is.EquivalentTo(new[] { "auth_user", "auth_pwd", "json_data" }));
        Assert.That(form["auth_user"], Is.EqualTo(FakeItop.AuthUser));
        Assert.That(form["auth_pwd"], Is.EqualTo(FakeItop.AuthPassword));
        var expected = new JsonObject
        {
            ["operation"] = "core/create",
            ["class"] = "UserRequest",
            ["comment"] = "TicketHub TH-2026-000042",
            ["output_fields"] = "id,ref,status,last_update",
            ["fields"] = new JsonObject
            {
                ["org_id"] = 12,
                ["caller_id"] = 34,
                ["title"] = "Imprimante de la salle 12 en panne",
                ["description"] =
                    "<p>Demande transmise par TicketHub, référence TicketHub <strong>[TH-2026-000042]</strong> (identifiant 0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b).</p>"
                    + "<p><strong>⚠ DAT amiante</strong> : collège construit avant 1997 ; un diagnostic amiante avant travaux est obligatoire avant d'installer ou de déplacer un VPI/ENI. Prévoir le délai.</p>"
                    + "<h3>Description</h3><p>L&#39;imprimante affiche « erreur 50 » &lt;b&gt;.<br>Elle ne sort plus rien depuis lundi.</p>"
                    + "<h3>Demandeur</h3><ul><li>Nom : Claire Martin</li><li>Courriel : claire.martin@ac-creteil.fr</li><li>Téléphone : 01 48 00 00 00</li></ul>"
                    + "<h3>Lieu et matériel</h3><ul><li>Collège : Collège Jean Moulin (0931234X), Montreuil</li><li>Zone : ZP</li><li>Emplacement : Salle 12, bâtiment B</li><li>Équipement : HP LaserJet M404</li></ul>"
                    + "<h3>Orientation</h3><p>Le matériel est en zone pédagogique : c&#39;est l&#39;infogérant du Département qui intervient.</p>"
                    + "<p>Règle R4 (jeu de règles 93-2026.1).</p>",
                ["urgency"] = "2",
                ["request_type"] = "service_request",
                ["origin"] = "portal",
                ["service_id"] = 7,
                ["servicesubcategory_id"] = 21,
            },
        };
        var sent = FakeItop.JsonData(call);
        Assert.That(JsonNode.DeepEquals(sent, expected), Is.True, $"sent: {sent.ToJsonString()}");
    }

    [TestCase("low", "4")]
    [TestCase("normal", "3")]
    [TestCase("high", "2")]
    [TestCase("critical", "1")]
    public void Maps_the_hub_urgency_to_iTop_reversed_scale(string hub, string itop) =>
        Assert.That(ItopTicketMapper.UrgencyOf(hub), Is.EqualTo(itop));

    [Test]
    public async Task Reads_objects_null_as_nothing_found()
    {
        Itop.Finds();

        var found = await _host.Client.GetTicketsAsync("UserRequest", "SELECT UserRequest WHERE id = 99", ItopClient.LookupFields, CancellationToken.None);

        Assert.That(found, Is.Empty);
        Assert.That(FakeItop.JsonData(Itop.Requests("core/get").Single())["key"]!.GetValue<string>(), Is.EqualTo("SELECT UserRequest WHERE id = 99"));
    }

    [TestCase(1, "Error: Invalid login")]
    [TestCase(100, "Error: org_id: Invalid object Organization::99")]
    public async Task Turns_a_non_zero_code_in_an_HTTP_200_answer_into_iTop_error(int code, string message)
    {
        Itop.Fails("core/create", code, message);

        var error = await Assert.ThrowsAsync<ItopException>(() => _host.Client.CreateTicketAsync("UserRequest", SampleInput(), "essai", CancellationToken.None));

        Assert.That(error!.Error, Is.EqualTo(new ItopError(code, message)));
    }

    [Test]
    public async Task Retries_a_search_answered_429_after_the_delay_Retry_After_asks_for()
    {
        Itop.Server.Given(FakeItop.Call("core/get")).InScenario("busy").WillSetStateTo("calm")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "1"));
        Itop.Server.Given(FakeItop.Call("core/get")).InScenario("busy").WhenStateIs("calm")
            .RespondWith(FakeItop.Json(FakeItop.Found(FakeItop.UserRequest(15))));

        var found = await _host.Client.GetTicketsAsync("UserRequest", "SELECT UserRequest WHERE id = 15", ItopClient.SyncFields, CancellationToken.None);

        Assert.That(found.Single().Key, Is.EqualTo(15));
        var calls = Itop.Requests("core/get");
        Assert.That(calls, Has.Count.EqualTo(2));
        Assert.That(calls[1].RequestMessage.DateTime - calls[0].RequestMessage.DateTime, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(900)),
            "Retry-After: 1 is a floor, whatever the backoff and jitter would say");
    }

    [Test]
    public async Task Retries_a_search_after_a_server_error()
    {
        Itop.Server.Given(FakeItop.Call("core/get")).InScenario("down").WillSetStateTo("up")
            .RespondWith(Response.Create().WithStatusCode(503).WithHeader("Retry-After", "0"));
        Itop.Server.Given(FakeItop.Call("core/get")).InScenario("down").WhenStateIs("up")
            .RespondWith(FakeItop.Json(FakeItop.Found()));

        Assert.That(await _host.Client.GetTicketsAsync("UserRequest", "SELECT UserRequest WHERE id = 15", ItopClient.SyncFields, CancellationToken.None), Is.Empty);
        Assert.That(Itop.Requests("core/get"), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Stops_calling_iTop_while_its_circuit_is_open_after_repeated_failures()
    {
        Itop.Server.Given(FakeItop.Call("core/get")).RespondWith(Response.Create().WithStatusCode(503).WithHeader("Retry-After", "0"));

        // Each search is an attempt and three retries; the breaker opens once half of 10 attempts failed.
        var calls = 0;
        Exception? failure;
        do
        {
            calls++;
            failure = await FailureOfAsync(() => _host.Client.GetTicketsAsync("UserRequest", "SELECT UserRequest WHERE id = 15", ItopClient.SyncFields, CancellationToken.None));
        }
        while (!IsBrokenCircuit(failure) && calls < 10);

        Assert.That(IsBrokenCircuit(failure), Is.True, $"the circuit never opened: {failure}");
        Assert.That(calls, Is.LessThanOrEqualTo(3), "10 failed attempts are enough");
        var reached = Itop.Requests("core/get").Count;
        Assert.That(IsBrokenCircuit(await FailureOfAsync(() => _host.Client.GetTicketsAsync("UserRequest", "SELECT UserRequest WHERE id = 15", ItopClient.SyncFields, CancellationToken.None))), Is.True);
        Assert.That(Itop.Requests("core/get"), Has.Count.EqualTo(reached), "an open circuit fails at once, without calling iTop");
    }

    [TestCase(500)]
    [TestCase(503)]
    [TestCase(429)]
    public async Task Never_sends_a_creation_twice_itself(int status)
    {
        Itop.Server.Given(FakeItop.Call("core/create")).RespondWith(Response.Create().WithStatusCode(status).WithHeader("Retry-After", "0"));

        var error = await Assert.ThrowsAsync<ApiException>(() => _host.Client.CreateTicketAsync("UserRequest", SampleInput(), "essai", CancellationToken.None));

        Assert.That((int)error!.StatusCode, Is.EqualTo(status));
        Assert.That(Itop.Requests("core/create"), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Never_sends_a_log_entry_twice_itself()
    {
        Itop.Server.Given(FakeItop.Call("core/update")).RespondWith(Response.Create().WithStatusCode(502));

        await Assert.ThrowsAsync<ApiException>(() => _host.Client.AddPublicLogEntryAsync(new ItopTicketRef("UserRequest", 15), "Bonjour", "essai", CancellationToken.None));

        Assert.That(Itop.Requests("core/update"), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Adds_plain_text_to_the_public_log_as_encoded_HTML()
    {
        Itop.AcceptsLogEntries(FakeItop.Entry("2024-11-20 11:00:00", "Technicien Infogérant", "5", "Je passe jeudi."));

        var updated = await _host.Client.AddPublicLogEntryAsync(new ItopTicketRef("Incident", 15), "Merci <b>!</b>\nÀ jeudi.", "TicketHub TH-1", CancellationToken.None);

        Assert.That(updated.Fields.PublicLog!.Entries.Select(RequestChangeReader.TextOf), Is.EqualTo(new[] { "Je passe jeudi.", "Merci <b>!</b>\nÀ jeudi." }));
        Assert.That(updated.Fields.PublicLog.Entries[0].UserId, Is.EqualTo("5"));
        var expected = JsonNode.Parse("""
            {"operation":"core/update","class":"Incident","comment":"TicketHub TH-1","key":15,"output_fields":"id,last_update,public_log",
             "fields":{"public_log":{"add_item":{"message":"<p>Merci &lt;b&gt;!&lt;/b&gt;<br>À jeudi.</p>","format":"html"}}}}
            """);
        Assert.That(JsonNode.DeepEquals(FakeItop.JsonData(Itop.Requests("core/update").Single()), expected), Is.True);
    }

    [Test]
    public async Task Keeps_the_credentials_out_of_logs_and_exceptions()
    {
        Itop.Server.Given(FakeItop.Call("core/create")).RespondWith(Response.Create().WithStatusCode(500).WithBody("boom"));
        Itop.Fails("core/get", 1, "Error: Invalid login");

        var failed = await Assert.ThrowsAsync<ApiException>(() => _host.Client.CreateTicketAsync("UserRequest", SampleInput(), "essai", CancellationToken.None));
        var refused = await Assert.ThrowsAsync<ItopException>(() => _host.Client.GetTicketsAsync("UserRequest", "SELECT UserRequest", "id", CancellationToken.None));

        Assert.That(_host.Logs.Lines, Is.Not.Empty);
        foreach (var text in _host.Logs.Lines.Append(failed!.ToString()).Append(refused!.ToString()))
        {
            Assert.That(text, Does.Not.Contain(FakeItop.AuthPassword).And.Not.Contain(FakeItop.AuthUser));
        }
    }

    [Test]
    public void Links_to_the_page_of_the_ticket_in_its_class()
    {
        Assert.That(new ItopOptions { PublicUrl = "https://itop.example/" }.TicketLink("UserRequest", 15),
            Is.EqualTo("https://itop.example/pages/UI.php?operation=details&class=UserRequest&id=15"));
        Assert.That(new ItopOptions { PublicUrl = "https://itop.example/" }.TicketLink("Incident", 16),
            Is.EqualTo("https://itop.example/pages/UI.php?operation=details&class=Incident&id=16"));
        Assert.That(new ItopOptions { PublicUrl = null }.TicketLink("UserRequest", 15), Is.Null);
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

    private static ItopTicketInput SampleInput() => new()
    {
        OrgId = 12,
        CallerId = 34,
        Title = "Vidéoprojecteur",
        Description = "<p>Ne s'allume plus.</p>",
        Urgency = "3",
        RequestType = "service_request",
        Origin = "portal",
    };
}
