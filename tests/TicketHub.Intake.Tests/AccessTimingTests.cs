using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Data.Sqlite;

namespace TicketHub.Intake.Tests;

/// <summary>
/// Another collège's ticket and a missing one get the same 403, and it costs the same: the check
/// reads only the ticket's scope, never its timeline, so timing cannot tell that the ticket exists.
/// Shown without a clock (a timed assertion fails on a busy machine): the refusal still answers when
/// the ticket's timeline and history cannot be read at all.
/// </summary>
public sealed class AccessTimingTests : IntakeTest
{
    [TestCase("", TestName = "Refusing_another_colleges_ticket_reads_nothing_of_its_timeline_when_reading_it")]
    [TestCase("/comments", TestName = "Refusing_another_colleges_ticket_reads_nothing_of_its_timeline_when_commenting")]
    public async Task Refusing_another_colleges_ticket_reads_nothing_of_its_timeline(string suffix)
    {
        var (id, _) = await Tickets.ReceivedAsync("0931234X");
        using var other = Factory.ClientFor(TestIdentity.College("0931235A"));
        var missingAnswer = await AnswerAsync(other, $"/api/v1/tickets/{Guid.CreateVersion7()}{suffix}", suffix.Length > 0);

        await HideTimelineAsync();
        var existingAnswer = await AnswerAsync(other, $"/api/v1/tickets/{id}{suffix}", suffix.Length > 0);

        Assert.That(existingAnswer.Status, Is.EqualTo(HttpStatusCode.Forbidden), "answered without reading the timeline: " + existingAnswer.Detail);
        Assert.That(existingAnswer.Detail, Is.EqualTo(missingAnswer.Detail), "the same words as for a ticket that does not exist");
    }

    private static async Task<(HttpStatusCode Status, string? Detail)> AnswerAsync(HttpClient client, string path, bool post)
    {
        using var response = post ? await client.PostAsJsonAsync(path, new { text = "Bonjour" }) : await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        var detail = response.Content.Headers.ContentType?.MediaType == "application/problem+json" ? JsonNode.Parse(body)?["detail"]?.GetValue<string>() : body;
        return (response.StatusCode, detail);
    }

    /// <summary>Renames the tables of a ticket's timeline: any request that reads them fails from now on.</summary>
    private async Task HideTimelineAsync()
    {
        await using var connection = new SqliteConnection(Factory.ConnectionString);
        await connection.OpenAsync();
        foreach (var table in new[] { "ticket_messages", "ticket_history", "ticket_attachments" })
        {
            await connection.ExecuteAsync($"ALTER TABLE {table} RENAME TO hidden_{table}");
        }
    }
}
