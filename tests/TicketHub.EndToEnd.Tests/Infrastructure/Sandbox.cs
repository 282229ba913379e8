using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace TicketHub.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The sandbox process (deploy/sandbox/TicketHub.Sandbox) as the tools' side of the end-to-end
/// tests: emulated iTop, PASS and Omère, with credentials made up for this run as deploy/run.sh
/// does, and the <c>_sandbox</c> script endpoints a technician's actions go through.
/// </summary>
internal sealed class Sandbox : IDisposable
{
    private readonly HttpClient _http;

    public Sandbox(string logFolder)
    {
        Process = new ServiceProcess("sandbox", "deploy/sandbox/TicketHub.Sandbox", ServiceProcess.FreePort(), new Dictionary<string, string>
        {
            ["Sandbox__Glpi__AppToken"] = GlpiAppToken,
            ["Sandbox__Glpi__UserToken"] = GlpiUserToken,
            ["Sandbox__Itop__AuthUser"] = ItopUser,
            ["Sandbox__Itop__AuthPassword"] = ItopPassword,
            ["Sandbox__Pass__ApiToken"] = PassToken,
            ["Sandbox__Omere__ApiToken"] = OmereToken,
        }, logFolder);
        _http = new HttpClient { BaseAddress = Process.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public ServiceProcess Process { get; }

    public string GlpiAppToken { get; } = RandomSecret();

    public string GlpiUserToken { get; } = RandomSecret();

    public string GlpiApiUrl => $"{Process.BaseAddress}glpi/apirest.php";

    public string OmereApiUrl => $"{Process.BaseAddress}omere/api";

    public string ItopUser => "tickethub-rest";

    public string ItopPassword { get; } = RandomSecret();

    public string PassToken { get; } = RandomSecret();

    public string OmereToken { get; } = RandomSecret();

    public string ItopRestUrl => $"{Process.BaseAddress}itop/webservices/rest.php";

    public string ItopPublicUrl => $"{Process.BaseAddress}itop";

    public string PassApiUrl => $"{Process.BaseAddress}pass/api";

    /// <summary>PASS tickets that carry this hub reference, each with its messages.</summary>
    public async Task<IReadOnlyList<JsonObject>> PassTicketsForAsync(string reference)
    {
        var all = await _http.GetFromJsonAsync<JsonArray>("/pass/_sandbox/tickets");
        return all!.Select(ticket => ticket!.AsObject())
            .Where(ticket => ticket["received"]?["reference"]?.GetValue<string>() == reference)
            .ToList();
    }

    /// <summary>Every ticket of the sandbox's PASS or Omère (<paramref name="tool"/>: <c>pass</c>, <c>omere</c>), as a script reads them.</summary>
    public async Task<IReadOnlyList<JsonObject>> TicketsAsync(string tool) =>
        [.. (await _http.GetFromJsonAsync<JsonArray>($"/{tool}/_sandbox/tickets"))!.Select(ticket => ticket!.AsObject())];

    /// <summary>The technician of the sandbox's PASS or Omère sets the ticket's status (<c>assigned</c>, <c>pending</c>, <c>solved</c>…).</summary>
    public Task StatusAsync(string tool, string id, string status) =>
        PostAsync($"/{tool}/_sandbox/tickets/{Uri.EscapeDataString(id)}/status", new { status });

    /// <summary>The technician of the sandbox's PASS or Omère answers the collège (a public message).</summary>
    public Task ReplyAsync(string tool, string id, string body) =>
        PostAsync($"/{tool}/_sandbox/tickets/{Uri.EscapeDataString(id)}/messages", new { body, @public = true });

    /// <summary>The PASS technician sets the ticket's status (<c>assigned</c>, <c>pending</c>, <c>solved</c>…).</summary>
    public Task PassStatusAsync(string passId, string status) => StatusAsync("pass", passId, status);

    /// <summary>The PASS technician answers the collège (a public message).</summary>
    public Task PassReplyAsync(string passId, string body) => ReplyAsync("pass", passId, body);

    /// <summary>iTop UserRequests whose description holds the hub reference marker <c>[TH-…]</c>.</summary>
    public async Task<IReadOnlyList<JsonObject>> ItopRequestsForAsync(string reference)
    {
        var all = await _http.GetFromJsonAsync<JsonArray>("/itop/_sandbox/tickets");
        return all!.Select(request => request!.AsObject())
            .Where(request => request["description"]?.GetValue<string>().Contains($"[{reference}]", StringComparison.Ordinal) == true)
            .ToList();
    }

    /// <summary>The iTop technician applies a stimulus (<c>ev_assign</c>…).</summary>
    public Task ItopStimulusAsync(string itopId, string stimulus) =>
        PostAsync($"/itop/_sandbox/tickets/{Uri.EscapeDataString(itopId)}/stimulus", new { stimulus });

    /// <summary>The iTop technician writes in the request's public log.</summary>
    public Task ItopReplyAsync(string itopId, string message) =>
        PostAsync($"/itop/_sandbox/tickets/{Uri.EscapeDataString(itopId)}/log", new { message });

    private async Task PostAsync(string path, object body)
    {
        using var response = await _http.PostAsJsonAsync(path, body);
        if (!response.IsSuccessStatusCode)
        {
            Assert.Fail($"Sandbox refused POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static string RandomSecret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    public void Dispose()
    {
        _http.Dispose();
        Process.Dispose();
    }
}
