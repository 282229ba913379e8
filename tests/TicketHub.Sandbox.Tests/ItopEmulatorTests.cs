using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TicketHub.Sandbox.Tests;

/// <summary>The emulated rest.php answers as iTop's REST/JSON services do (iTop 3.2, version 1.3).</summary>
public sealed class ItopEmulatorTests
{
    private const string Rest = "/itop/webservices/rest.php";
    private const string User = "rest-test";
    private const string Password = "rest-test-password";

    private SandboxApp _sandbox = null!;
    private HttpClient _client = null!;

    [SetUp]
    public void SetUp()
    {
        _sandbox = new SandboxApp(new()
        {
            ["Sandbox:Itop:AuthUser"] = User,
            ["Sandbox:Itop:AuthPassword"] = Password,
            ["Sandbox:Itop:Organizations:0"] = "1",
            ["Sandbox:Itop:Organizations:1"] = "12",
        });
        _client = _sandbox.CreateClient();
    }

    [TearDown]
    public async Task TearDown()
    {
        _client.Dispose();
        await _sandbox.DisposeAsync();
    }

    [Test]
    public async Task Creates_a_user_request_and_answers_with_iTop_envelope()
    {
        var answer = await CreateAsync("TH-2026-000042");

        Assert.That(answer.GetProperty("code").GetInt32(), Is.Zero);
        Assert.That(answer.GetProperty("message").ValueKind, Is.EqualTo(JsonValueKind.Null));
        var created = answer.GetProperty("objects").GetProperty("UserRequest::1");
        Assert.That(created.GetProperty("code").GetInt32(), Is.Zero);
        Assert.That(created.GetProperty("message").GetString(), Is.EqualTo("created"));
        Assert.That(created.GetProperty("class").GetString(), Is.EqualTo("UserRequest"));
        Assert.That(created.GetProperty("key").GetString(), Is.EqualTo("1"));
        var fields = created.GetProperty("fields");
        Assert.That(fields.EnumerateObject().Select(field => field.Name), Is.EqualTo(new[] { "id", "ref", "status", "last_update" }));
        Assert.That(fields.GetProperty("id").GetString(), Is.EqualTo("1"));
        Assert.That(fields.GetProperty("ref").GetString(), Is.EqualTo("R-000001"));
        Assert.That(fields.GetProperty("status").GetString(), Is.EqualTo("new"));
        Assert.That(fields.GetProperty("last_update").GetString(), Is.EqualTo("2026-11-20 10:00:00"), "09:00 UTC is 10:00 in Paris in November");
    }

    [Test]
    public async Task Refuses_an_incident_in_UserRequest_as_iTop_ITIL_does_and_consumes_a_reference_all_the_same()
    {
        var request = CreateRequest("TH-1");
        request["fields"]!["request_type"] = "incident";

        var refused = await CallAsync(request);
        var created = await CreateAsync("TH-2");

        Assert.That(refused.GetProperty("code").GetInt32(), Is.EqualTo(100));
        Assert.That(refused.GetProperty("message").GetString(), Is.EqualTo(
            "Error: Valeur de l'attribut incorrecte 'Type de Requête' (request_type) : Value not allowed [incident]: issues = {0=>Valeur de l'attribut incorrecte 'Type de Requête' (request_type) : Value not allowed [incident]}, class = UserRequest, id = -1"));
        var fields = created.GetProperty("objects").GetProperty("UserRequest::1").GetProperty("fields");
        Assert.That(fields.GetProperty("ref").GetString(), Is.EqualTo("R-000002"), "the refused create took R-000001");
    }

    [Test]
    public async Task Keeps_incidents_in_the_class_Incident_with_their_own_references_and_finds_both_through_Ticket()
    {
        await CreateAsync("TH-1");
        var incident = CreateRequest("TH-2");
        incident["class"] = "Incident";
        incident["fields"]!.AsObject().Remove("request_type");

        var created = (await CallAsync(incident)).GetProperty("objects").GetProperty("Incident::2");
        var withType = CreateRequest("TH-3");
        withType["class"] = "Incident";
        var refused = await CallAsync(withType);
        var found = await CallAsync(new JsonObject
        {
            ["operation"] = "core/get", ["class"] = "Ticket", ["key"] = "SELECT Ticket WHERE description LIKE '%[TH-_]%'", ["output_fields"] = "id,finalclass",
        });

        Assert.That((created.GetProperty("class").GetString(), created.GetProperty("fields").GetProperty("ref").GetString()), Is.EqualTo(("Incident", "I-000001")));
        Assert.That(refused.GetProperty("message").GetString(), Is.EqualTo("Error: request_type: Unknown attribute"));
        Assert.That(found.GetProperty("objects").EnumerateObject().Select(item => (item.Name, item.Value.GetProperty("fields").GetProperty("finalclass").GetString())),
            Is.EqualTo(new[] { ("UserRequest::1", "UserRequest"), ("Incident::2", "Incident") }));
        Assert.That((await GetAsync("SELECT UserRequest WHERE id = 2")).GetProperty("objects").ValueKind, Is.EqualTo(JsonValueKind.Null), "an Incident is no UserRequest");
    }

    [Test]
    public async Task Behaves_as_a_simple_ticket_install_when_configured_so()
    {
        await using var simple = new SandboxApp(new()
        {
            ["Sandbox:Itop:AuthUser"] = User,
            ["Sandbox:Itop:AuthPassword"] = Password,
            ["Sandbox:Itop:TicketClasses"] = "simple",
        });
        using var client = simple.CreateClient();
        var request = CreateRequest("TH-1");
        request["fields"]!["request_type"] = "incident";
        var incident = CreateRequest("TH-2");
        incident["class"] = "Incident";

        var created = await CallAsync(client, request);
        var refused = await CallAsync(client, incident);

        Assert.That(created.GetProperty("code").GetInt32(), Is.Zero);
        Assert.That(refused.GetProperty("message").GetString(), Is.EqualTo("Error: class: 'Incident' is not a valid class'"));
    }

    [Test]
    public async Task Keeps_a_solution_given_as_text_as_iTop_3_does_in_a_paragraph()
    {
        await CreateAsync("TH-1");
        await StimulusAsync("ev_assign", new JsonObject { ["agent_id"] = 5 });

        var resolved = await StimulusAsync("ev_resolve", new JsonObject { ["solution"] = "Câble remplacé.\nTest <ok>" });

        Assert.That(resolved.GetProperty("objects").GetProperty("UserRequest::1").GetProperty("fields").GetProperty("solution").GetString(),
            Is.EqualTo("<p>Câble remplacé.\nTest &lt;ok&gt;</p>"));
    }

    [Test]
    public async Task Lists_every_attribute_for_output_fields_star()
    {
        await CreateAsync("TH-1");

        var fields = (await GetAsync("SELECT UserRequest", "*")).GetProperty("objects").GetProperty("UserRequest::1").GetProperty("fields");

        Assert.That(fields.GetProperty("org_id").GetString(), Is.EqualTo("12"));
        Assert.That(fields.GetProperty("urgency").GetString(), Is.EqualTo("2"));
        Assert.That(fields.GetProperty("origin").GetString(), Is.EqualTo("portal"));
        Assert.That(fields.GetProperty("agent_id").GetString(), Is.EqualTo("0"), "an empty external key is \"0\"");
        Assert.That(fields.GetProperty("public_log").GetProperty("entries").GetArrayLength(), Is.Zero);
        Assert.That(fields.TryGetProperty("id", out _), Is.False, "'*' lists attributes, and id is not one");
    }

    [Test]
    public async Task Answers_objects_null_when_nothing_matches()
    {
        var answer = await GetAsync("SELECT UserRequest WHERE id = 99");

        Assert.That(answer.GetProperty("objects").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(answer.GetProperty("code").GetInt32(), Is.Zero);
        Assert.That(answer.GetProperty("message").GetString(), Is.EqualTo("Found: 0"));
    }

    [Test]
    public async Task Searches_with_OQL_on_ids_dates_in_Paris_time_and_LIKE()
    {
        await CreateAsync("TH-2026-000042");
        _sandbox.Clock.Advance(TimeSpan.FromMinutes(30));
        await CreateAsync("TH-2026-0000420");
        _sandbox.Clock.Advance(TimeSpan.FromMinutes(30));
        await CreateAsync("TH-2026-000043");

        Assert.That(await KeysAsync("SELECT UserRequest WHERE id = 2"), Is.EqualTo(new[] { "2" }));
        Assert.That(await KeysAsync("SELECT UserRequest WHERE last_update > '2026-11-20 10:00:00'"), Is.EqualTo(new[] { "2", "3" }));
        Assert.That(await KeysAsync("SELECT UserRequest WHERE id IN (1, 3) AND last_update >= '2026-11-20 10:30:00'"), Is.EqualTo(new[] { "3" }));
        Assert.That(await KeysAsync("SELECT UserRequest WHERE description LIKE '%[TH-2026-000042]%'"), Is.EqualTo(new[] { "1" }));
        Assert.That(await KeysAsync("SELECT UserRequest AS u WHERE u.description LIKE '%th-2026-00004%' AND NOT (u.id = 2 OR u.status != 'new')"),
            Is.EqualTo(new[] { "1", "3" }), "LIKE ignores case, as MySQL does");
        Assert.That(await KeysAsync("SELECT UserRequest WHERE last_update >= 'garbage'"), Is.EqualTo(new[] { "1", "2", "3" }),
            "as iTop: a date literal is not checked, and one that is no date matches every ticket");
        Assert.That(await KeysAsync("SELECT UserRequest WHERE last_update >= '2026-11-20T10:30:00Z'"), Is.EqualTo(new[] { "1", "2", "3" }));
    }

    [Test]
    public async Task Refuses_a_query_it_cannot_read_with_code_100()
    {
        var answer = await GetAsync("SELECT UserRequest WHERE colour = 'red'");

        Assert.That(answer.GetProperty("code").GetInt32(), Is.EqualTo(100));
        Assert.That(answer.GetProperty("message").GetString(), Does.StartWith("Error: Query failed to execute").And.Contain("colour"));
    }

    [Test]
    public async Task Writes_a_text_entry_as_iTop_does_message_as_written_and_message_html_escaped_with_line_breaks()
    {
        await CreateAsync("TH-1");

        var answer = await CallAsync(new JsonObject
        {
            ["operation"] = "core/update", ["comment"] = "essai", ["class"] = "UserRequest", ["key"] = 1, ["output_fields"] = "public_log",
            ["fields"] = new JsonObject { ["public_log"] = new JsonObject { ["add_item"] = new JsonObject { ["message"] = "Je passe jeudi.\nPrévoir l'accès à la baie <B12>.", ["format"] = "text" } } },
        });

        // What the real iTop 3.2 answered to the same entry (December 2026).
        var entry = Fields(answer).GetProperty("public_log").GetProperty("entries")[0];
        Assert.That(entry.GetProperty("message").GetString(), Is.EqualTo("Je passe jeudi.\nPrévoir l'accès à la baie <B12>."));
        Assert.That(entry.GetProperty("message_html").GetString(), Is.EqualTo("Je passe jeudi.<br/>Prévoir l&apos;accès à la baie &lt;B12&gt;."));
    }

    [Test]
    public async Task Appends_a_text_entry_to_the_public_log_and_touches_last_update()
    {
        await CreateAsync("TH-1");
        _sandbox.Clock.Advance(TimeSpan.FromMinutes(5));

        var answer = await CallAsync(new JsonObject
        {
            ["operation"] = "core/update",
            ["comment"] = "TicketHub TH-1",
            ["class"] = "UserRequest",
            ["key"] = 1,
            ["output_fields"] = "id,last_update,public_log",
            ["fields"] = new JsonObject { ["public_log"] = new JsonObject { ["add_item"] = new JsonObject { ["message"] = "Merci <b>!</b>\nÀ jeudi.", ["format"] = "text" } } },
        });

        var updated = answer.GetProperty("objects").GetProperty("UserRequest::1");
        Assert.That(updated.GetProperty("message").GetString(), Is.EqualTo("updated"));
        Assert.That(updated.GetProperty("fields").GetProperty("last_update").GetString(), Is.EqualTo("2026-11-20 10:05:00"));
        var entry = updated.GetProperty("fields").GetProperty("public_log").GetProperty("entries").EnumerateArray().Single();
        Assert.That(entry.GetProperty("date").GetString(), Is.EqualTo("2026-11-20 10:05:00"));
        Assert.That(entry.GetProperty("user_login").GetString(), Is.EqualTo("Compte REST TicketHub"));
        Assert.That(entry.GetProperty("user_id").GetString(), Is.EqualTo("3"));
        Assert.That(entry.GetProperty("message").GetString(), Is.EqualTo("Merci <b>!</b>\nÀ jeudi."));
        Assert.That(entry.GetProperty("message_html").GetString(), Is.EqualTo("Merci &lt;b&gt;!&lt;/b&gt;<br/>À jeudi."));
    }

    [Test]
    public async Task Moves_a_request_along_its_lifecycle_and_refuses_an_invalid_stimulus_with_code_100()
    {
        await CreateAsync("TH-1");

        var refused = await StimulusAsync("ev_close", new JsonObject());
        var noSolution = await StimulusAsync("ev_resolve", new JsonObject());
        var assigned = await StimulusAsync("ev_assign", new JsonObject());
        var resolved = await StimulusAsync("ev_resolve", new JsonObject { ["solution"] = "Toner remplacé." });

        Assert.That(refused.GetProperty("code").GetInt32(), Is.EqualTo(100));
        Assert.That(refused.GetProperty("objects").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(refused.GetProperty("message").GetString(), Is.EqualTo("Invalid stimulus: 'ev_close' on the object R-000001 in state 'new'"));
        Assert.That(noSolution.GetProperty("message").GetString(), Is.EqualTo("Invalid stimulus: 'ev_resolve' on the object R-000001 in state 'new'"));
        Assert.That(Fields(assigned).GetProperty("status").GetString(), Is.EqualTo("assigned"));
        Assert.That(Fields(resolved).GetProperty("status").GetString(), Is.EqualTo("resolved"));
        Assert.That(Fields(resolved).GetProperty("solution").GetString(), Is.EqualTo("<p>Toner remplacé.</p>"));
    }

    [Test]
    public async Task Asks_for_the_solution_before_resolving()
    {
        await CreateAsync("TH-1");
        await StimulusAsync("ev_assign", new JsonObject());

        var answer = await StimulusAsync("ev_resolve", new JsonObject());

        Assert.That(answer.GetProperty("code").GetInt32(), Is.EqualTo(100));
        Assert.That(answer.GetProperty("message").GetString(), Is.EqualTo("Missing mandatory attribute(s) for applying the stimulus: solution."));
    }

    [Test]
    public async Task Answers_code_1_to_wrong_credentials_with_HTTP_200()
    {
        using var response = await PostAsync(new JsonObject { ["operation"] = "list_operations" }, password: "wrong");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(answer.GetRawText(), Is.EqualTo("""{"code":1,"message":"Error: Invalid login"}"""));
    }

    [TestCase(null, "1.3", """{"operation":"list_operations"}""", 5, "Error: Missing parameter 'auth_user'")]
    [TestCase(User, null, """{"operation":"list_operations"}""", 2, "Error: Missing parameter 'version' (e.g. '1.0')")]
    [TestCase(User, "1.3", null, 3, "Error: Missing parameter 'json_data")]
    [TestCase(User, "1.3", "{not json", 4, "Error: Parameter json_data is not a valid JSON structure")]
    [TestCase(User, "2.0", """{"operation":"list_operations"}""", 10, "Error: There is no service available for version '2.0'")]
    [TestCase(User, "1.3", """{"operation":"core/frobnicate"}""", 11, "Error: Unknown verb 'core/frobnicate' in version '1.3'")]
    [TestCase(User, "1.3", """{"operation":"core/create","class":"UserRequest","fields":{}}""", 100, "Error: Missing parameter 'comment'")]
    [TestCase(User, "1.3", """{"operation":"core/create","class":"Fridge","comment":"c","fields":{}}""", 100, "Error: class: 'Fridge' is not a valid class'")]
    [TestCase(User, "1.3", """{"operation":"core/create","class":"UserRequest","comment":"c","fields":{"colour":"red"}}""", 100, "Error: colour: Unknown attribute")]
    [TestCase(User, "1.3", """{"operation":"core/create","class":"UserRequest","comment":"c","fields":{"org_id":99,"caller_id":1,"title":"t","description":"d"}}""", 100, "Error: org_id: Invalid object Organization::99")]
    [TestCase(User, "1.3", """{"operation":"core/create","class":"UserRequest","comment":"c","fields":{"org_id":1,"title":"t","description":"d"}}""", 100, "Error: UserRequest: missing mandatory value(s): caller_id")]
    [TestCase(User, "1.3", """{"operation":"core/update","class":"UserRequest","comment":"c","key":9,"fields":{"title":"t"}}""", 100, "Error: Invalid object UserRequest::9")]
    [TestCase(User, "1.3", """{"operation":"core/get","class":"UserRequest","key":"SELECT UserRequest","output_fields":"id,colour"}""", 100, "Error: output_fields: invalid attribute code 'colour'")]
    public async Task Answers_errors_with_iTop_codes_and_messages(string? user, string? version, string? json, int code, string message)
    {
        var form = new Dictionary<string, string>();
        if (user is not null)
        {
            form["auth_user"] = user;
            form["auth_pwd"] = Password;
        }

        if (json is not null)
        {
            form["json_data"] = json;
        }

        var url = version is null ? Rest : $"{Rest}?version={version}";
        using var response = await _client.PostAsync(new Uri(url, UriKind.Relative), new FormUrlEncodedContent(form));
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(answer.GetProperty("code").GetInt32(), Is.EqualTo(code));
        Assert.That(answer.GetProperty("message").GetString(), Is.EqualTo(message));
    }

    [Test]
    public async Task Refuses_to_write_the_status_outside_the_lifecycle()
    {
        await CreateAsync("TH-1");

        var answer = await CallAsync(new JsonObject
        {
            ["operation"] = "core/update", ["comment"] = "c", ["class"] = "UserRequest", ["key"] = "SELECT UserRequest WHERE id = 1",
            ["fields"] = new JsonObject { ["status"] = "closed" },
        });

        Assert.That(answer.GetProperty("code").GetInt32(), Is.EqualTo(100));
        Assert.That(answer.GetProperty("message").GetString(), Does.StartWith("Error: status: Attempting to set the value on the read-only attribute"));
    }

    [Test]
    public async Task Lists_its_operations()
    {
        var answer = await CallAsync(new JsonObject { ["operation"] = "list_operations" });

        Assert.That(answer.GetProperty("message").GetString(), Is.EqualTo("Operations: 7"));
        Assert.That(answer.GetProperty("operations").EnumerateArray().Select(operation => operation.GetProperty("verb").GetString()),
            Does.Contain("core/create").And.Contain("core/get").And.Contain("core/update").And.Contain("core/apply_stimulus"));
    }

    [Test]
    public async Task Keeps_requests_across_a_restart_when_a_state_file_is_set()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"sandbox-itop-state-{Guid.NewGuid():N}");
        var settings = new Dictionary<string, string?>
        {
            ["Sandbox:Itop:AuthUser"] = User,
            ["Sandbox:Itop:AuthPassword"] = Password,
            ["Sandbox:Itop:StateFile"] = Path.Combine(folder, "itop.json"),
        };
        try
        {
            await using (var before = new SandboxApp(settings))
            {
                using var client = before.CreateClient();
                await CallAsync(client, CreateRequest("TH-1"));
            }

            await using var after = new SandboxApp(settings);
            using var restarted = after.CreateClient();
            var second = await CallAsync(restarted, CreateRequest("TH-2"));
            var first = await CallAsync(restarted, new JsonObject { ["operation"] = "core/get", ["class"] = "UserRequest", ["key"] = 1, ["output_fields"] = "title" });

            Assert.That(second.GetProperty("objects").GetProperty("UserRequest::2").GetProperty("key").GetString(), Is.EqualTo("2"), "keys continue");
            Assert.That(first.GetProperty("objects").GetProperty("UserRequest::1").GetProperty("fields").GetProperty("title").GetString(), Is.EqualTo("Demande TH-1"));
        }
        finally
        {
            TicketHub.Testing.TempFolder.Delete(folder);
        }
    }

    private Task<JsonElement> CreateAsync(string reference) => CallAsync(CreateRequest(reference));

    private static JsonObject CreateRequest(string reference) => new()
    {
        ["operation"] = "core/create",
        ["comment"] = $"TicketHub {reference}",
        ["class"] = "UserRequest",
        ["output_fields"] = "id,ref,status,last_update",
        ["fields"] = new JsonObject
        {
            ["org_id"] = 12,
            ["caller_id"] = "34",
            ["title"] = $"Demande {reference}",
            ["description"] = $"<p>Référence TicketHub <strong>[{reference}]</strong></p>",
            ["urgency"] = "2",
            ["request_type"] = "service_request",
            ["origin"] = "portal",
        },
    };

    private Task<JsonElement> GetAsync(string oql, string fields = "id,status,last_update") =>
        CallAsync(new JsonObject { ["operation"] = "core/get", ["class"] = "UserRequest", ["key"] = oql, ["output_fields"] = fields });

    private async Task<string[]> KeysAsync(string oql)
    {
        var objects = (await GetAsync(oql)).GetProperty("objects");
        return objects.ValueKind == JsonValueKind.Null ? [] : [.. objects.EnumerateObject().Select(found => found.Value.GetProperty("key").GetString()!)];
    }

    private Task<JsonElement> StimulusAsync(string stimulus, JsonObject fields) => CallAsync(new JsonObject
    {
        ["operation"] = "core/apply_stimulus",
        ["comment"] = "essai",
        ["class"] = "UserRequest",
        ["key"] = 1,
        ["stimulus"] = stimulus,
        ["output_fields"] = "status,solution",
        ["fields"] = fields,
    });

    private static JsonElement Fields(JsonElement answer) => answer.GetProperty("objects").GetProperty("UserRequest::1").GetProperty("fields");

    private Task<JsonElement> CallAsync(JsonObject data) => CallAsync(_client, data);

    private static async Task<JsonElement> CallAsync(HttpClient client, JsonObject data)
    {
        using var response = await PostAsync(client, data, Password);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private Task<HttpResponseMessage> PostAsync(JsonObject data, string password) => PostAsync(_client, data, password);

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, JsonObject data, string password) =>
        client.PostAsync(new Uri($"{Rest}?version=1.3", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["auth_user"] = User,
            ["auth_pwd"] = password,
            ["json_data"] = data.ToJsonString(),
        }));
}
