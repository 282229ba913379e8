using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace TicketHub.Testing;

/// <summary>
/// The real GLPI's REST API as a technician or a test uses it, outside the connector: to check what
/// the connector wrote, and to act as the infogérant's technician (status, follow-up, solution).
/// One session per client (the hub-api account by default, or the super-admin's token).
/// </summary>
public sealed class RealGlpiClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly string _userToken;
    private string? _session;

    public RealGlpiClient(string? userToken = null)
    {
        var glpi = PeerTools.Glpi;
        _userToken = userToken ?? glpi.UserToken;
        _http = new HttpClient { BaseAddress = new Uri(glpi.Api.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(30) };
        _http.DefaultRequestHeaders.Add("App-Token", glpi.AppToken);
    }

    /// <summary>GET <paramref name="path"/> (relative to apirest.php), as JSON.</summary>
    public async Task<JsonNode?> GetAsync(string path) => await SendAsync(HttpMethod.Get, path, null);

    /// <summary>POST <c>{"input": …}</c> to <paramref name="path"/>.</summary>
    public async Task<JsonNode?> PostAsync(string path, JsonObject input) => await SendAsync(HttpMethod.Post, path, new JsonObject { ["input"] = input });

    /// <summary>PUT <c>{"input": …}</c> to <paramref name="path"/>.</summary>
    public async Task<JsonNode?> PutAsync(string path, JsonObject input) => await SendAsync(HttpMethod.Put, path, new JsonObject { ["input"] = input });

    /// <summary>Every ticket whose title contains <paramref name="text"/> (GLPI's search engine, field 1), as (id, name).</summary>
    public async Task<IReadOnlyList<(int Id, string Name)>> TicketsTitledAsync(string text)
    {
        var found = await GetAsync($"search/Ticket?criteria[0][field]=1&criteria[0][searchtype]=contains&criteria[0][value]={Uri.EscapeDataString(text)}&forcedisplay[0]=2&forcedisplay[1]=1&range=0-999");
        return found?["data"] is JsonArray rows
            ? [.. rows.Select(row => (int.Parse(row!["2"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture), row["1"]!.ToString()))]
            : [];
    }

    /// <summary>Ends the GLPI session <paramref name="sessionToken"/> (<c>killSession</c>), as GLPI does when a session expires.</summary>
    public static async Task KillSessionAsync(string sessionToken)
    {
        var glpi = PeerTools.Glpi;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Get, glpi.Api.TrimEnd('/') + "/killSession");
        request.Headers.Add("App-Token", glpi.AppToken);
        request.Headers.Add("Session-Token", sessionToken);
        using var response = await http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GLPI killSession: HTTP {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    public void Dispose()
    {
        if (_session is not null)
        {
            using var end = new HttpRequestMessage(HttpMethod.Get, "killSession");
            end.Headers.Add("Session-Token", _session);
            _http.Send(end).Dispose();
        }

        _http.Dispose();
    }

    private async Task<JsonNode?> SendAsync(HttpMethod method, string path, JsonObject? body)
    {
        _session ??= await LoginAsync();
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        request.Headers.Add("Session-Token", _session);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GLPI {method} {path}: HTTP {(int)response.StatusCode} {text}");
        }

        return text.Length == 0 ? null : JsonNode.Parse(text);
    }

    private async Task<string> LoginAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "initSession");
        request.Headers.Add("Authorization", "user_token " + _userToken);
        using var response = await _http.SendAsync(request);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        return body?["session_token"]?.GetValue<string>() ?? throw new InvalidOperationException("GLPI refused the test's user_token.");
    }
}

/// <summary>
/// The real iTop's REST API outside the connector: to check what the connector wrote, and to act as
/// the infogérant's support agent (assign, resolve, answer in the public log).
/// </summary>
public sealed class RealItopClient(bool asAgent = false) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Runs one REST operation; the whole answer (check <c>code</c>).</summary>
    public async Task<JsonObject> CallAsync(JsonObject operation)
    {
        var itop = PeerTools.Itop;
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["auth_user"] = asAgent ? itop.AgentUser : itop.User,
            ["auth_pwd"] = asAgent ? itop.AgentPassword : itop.Password,
            ["json_data"] = operation.ToJsonString(),
        });
        using var response = await _http.PostAsync($"{itop.Rest}?version=1.3", form);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())?.AsObject()
            ?? throw new InvalidOperationException("iTop answered nothing.");
        return answer;
    }

    /// <summary>The objects an OQL query finds, each object's fields (empty when none).</summary>
    public async Task<IReadOnlyList<JsonObject>> GetAsync(string @class, string oql, string outputFields = "*")
    {
        var answer = await CallAsync(new JsonObject { ["operation"] = "core/get", ["class"] = @class, ["key"] = oql, ["output_fields"] = outputFields });
        if (answer["code"]!.GetValue<int>() != 0)
        {
            throw new InvalidOperationException($"iTop core/get {@class}: {answer.ToJsonString()}");
        }

        return answer["objects"] is JsonObject objects ? [.. objects.Select(o => o.Value!["fields"]!.AsObject())] : [];
    }

    public void Dispose() => _http.Dispose();
}
