using System.Diagnostics;
using System.Net;
using Dapper;
using Microsoft.Data.Sqlite;

namespace TicketHub.Intake.Tests;

/// <summary>
/// Another collège's ticket and a missing one get the same 403, and it costs the same: the check
/// reads only the ticket's scope, never its history, so timing does not tell that the ticket exists.
/// </summary>
public sealed class AccessTimingTests : IntakeTest
{
    [TestCase("", TestName = "Refusal_of_another_colleges_ticket_costs_no_more_than_for_a_missing_one_when_reading_it")]
    [TestCase("/comments", TestName = "Refusal_of_another_colleges_ticket_costs_no_more_than_for_a_missing_one_when_commenting")]
    public async Task Refusal_of_another_colleges_ticket_costs_no_more_than_for_a_missing_one(string suffix)
    {
        var (id, _) = await Tickets.ReceivedAsync("0931234X");
        await AddHistoryAsync(id, 4000);
        using var other = Factory.ClientFor(TestIdentity.College("0931235A"));
        var existing = new List<double>();
        var missing = new List<double>();

        for (var i = 0; i < 41; i++)
        {
            var warmUp = i == 0;
            var a = await TimeAsync(other, $"/api/v1/tickets/{id}{suffix}", suffix.Length > 0);
            var b = await TimeAsync(other, $"/api/v1/tickets/{Guid.CreateVersion7()}{suffix}", suffix.Length > 0);
            if (!warmUp)
            {
                existing.Add(a);
                missing.Add(b);
            }
        }

        var (medianExisting, medianMissing) = (Median(existing), Median(missing));
        Assert.That(medianExisting, Is.LessThan(medianMissing * 2 + 1.0),
            $"median {medianExisting:F2} ms for the existing ticket, {medianMissing:F2} ms for a missing one");
    }

    private static async Task<double> TimeAsync(HttpClient client, string path, bool post)
    {
        var clock = Stopwatch.StartNew();
        using var response = post
            ? await client.PostAsync(path, new StringContent("{\"text\":\"Bonjour\"}", System.Text.Encoding.UTF8, "application/json"))
            : await client.GetAsync(path);
        await response.Content.ReadAsByteArrayAsync();
        var elapsed = clock.Elapsed.TotalMilliseconds;
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        return elapsed;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }

    /// <summary>A long-lived ticket: many replies in its timeline, as after months of exchanges.</summary>
    private async Task AddHistoryAsync(Guid id, int messages)
    {
        await using var connection = new SqliteConnection(Factory.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var text = new string('x', 500);
        for (var i = 0; i < messages; i++)
        {
            await connection.ExecuteAsync(
                "INSERT INTO ticket_messages (ticket_id, direction, author_role, author_name, text, at) VALUES (@Id, 'in', 'infogerant', 'Technicien', @Text, @At)",
                new { Id = id.ToString(), Text = text, At = DateTimeOffset.UtcNow.AddSeconds(i).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture) },
                transaction);
        }

        await transaction.CommitAsync();
    }
}
