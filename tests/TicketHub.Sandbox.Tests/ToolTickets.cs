using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TicketHub.Sandbox.Tests;

/// <summary>Bodies of the hub's contract for PASS and Omère, and the calls the tests repeat.</summary>
internal static class ToolTickets
{
    /// <summary>A complete <c>NewTicket</c>, as the hub's connector sends it.</summary>
    public static JsonObject New(string reference, string title = "ENT inaccessible depuis la salle 12") => new()
    {
        ["reference"] = reference,
        ["title"] = title,
        ["description"] = "Aucun poste de la salle 12 n'atteint l'ENT.\nDepuis ce matin.",
        ["category"] = "bati-electricite",
        ["type"] = "incident",
        ["urgency"] = "high",
        ["queue"] = "UT2",
        ["location"] = "Salle 12",
        ["equipment"] = null,
        ["flags"] = new JsonArray("dat-amiante"),
        ["college"] = new JsonObject { ["uai"] = "0931234X", ["name"] = "Collège Jean Moulin", ["commune"] = "Bondy", ["ut"] = "UT2" },
        ["requester"] = new JsonObject { ["name"] = "Claire Martin", ["email"] = "claire.martin@ac-creteil.fr", ["phone"] = null },
        ["routing"] = new JsonObject { ["rule"] = "bati-ut", ["explanation"] = "Le bâti relève de l'UT du collège." },
        ["createdAt"] = "2026-11-20T08:45:00Z",
    };

    public static async Task<JsonElement> CreateAsync(HttpClient client, string reference, string? title = null)
    {
        using var response = await client.PostAsJsonAsync("tickets", title is null ? New(reference) : New(reference, title));
        Assert.That((int)response.StatusCode, Is.EqualTo(201), await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task<JsonElement> GetAsync(HttpClient client, string id) =>
        await client.GetFromJsonAsync<JsonElement>($"tickets/{Uri.EscapeDataString(id)}");

    public static DateTimeOffset UpdatedAt(JsonElement ticket) => ticket.GetProperty("updatedAt").GetDateTimeOffset();
}
