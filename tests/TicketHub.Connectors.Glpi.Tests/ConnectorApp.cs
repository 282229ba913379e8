using Microsoft.Extensions.DependencyInjection;
using TicketHub.Connectors.Glpi.Sync;

namespace TicketHub.Connectors.Glpi.Tests;

/// <summary>
/// The connector as it runs, on a SQLite file of its own, with MassTransit's in-memory test harness
/// in place of RabbitMQ and WireMock's GLPI in place of the infogérant's.
/// </summary>
internal sealed class ConnectorApp : ConnectorAppBase<Program>
{
    /// <param name="directory">The folder of an earlier app's database, to restart on it; null for a new one, deleted with the app.</param>
    /// <param name="settings">Settings added to (or replacing) the defaults below.</param>
    /// <param name="services">Changes to the connector's services, made after its own.</param>
    public ConnectorApp(string? directory = null, Dictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
        : base("glpi", directory, Defaults(), settings, services, testTimeout: TimeSpan.FromSeconds(30), inactivityTimeout: TimeSpan.FromSeconds(5))
    {
    }

    /// <summary>A folder the test deletes itself (<see cref="TicketHub.Testing.TempFolder"/>), for apps restarted on one database.</summary>
    public static string NewDirectory() => NewDirectory("glpi");

    /// <summary>The status sync, to run one poll at a time.</summary>
    public GlpiStatusSync Sync => Services.GetRequiredService<GlpiStatusSync>();

    private static Dictionary<string, string?> Defaults() => new(GlpiServers.Intake.Settings())
    {
        ["Glpi:BaseUrl"] = GlpiServers.Glpi.ApiUrl,
        ["Glpi:PublicUrl"] = "https://glpi.example",
        ["Glpi:AppToken"] = FakeGlpi.AppToken,
        ["Glpi:UserToken"] = FakeGlpi.UserToken,
        ["Glpi:Timeout"] = "00:00:05",
        ["Glpi:Mapping:DefaultEntityId"] = "1",
        ["Glpi:Mapping:Entities:0931234X"] = "12",
        ["Glpi:Mapping:Categories:imprimante"] = "7",
        // Tests run the status sync by hand (GlpiStatusSync.PollOnceAsync), one poll at a time.
        ["Glpi:Sync:Enabled"] = "false",
    };

    /// <summary>The row of <c>external_tickets</c> for <paramref name="ticketId"/>: state, external_id, attempts.</summary>
    public async Task<(string State, string? ExternalId, long Attempts, string? LastError)?> ExternalTicketAsync(Guid ticketId)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT state, external_id, attempts, last_error FROM external_tickets WHERE ticket_id = $id";
        command.Parameters.AddWithValue("$id", ticketId.ToString("D"));
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetInt64(2), reader.IsDBNull(3) ? null : reader.GetString(3))
            : null;
    }

    /// <summary>Records that the hub created <paramref name="reference"/> in GLPI as <paramref name="glpiId"/>, as the forwarder does.</summary>
    public async Task HoldsTicketAsync(Guid ticketId, string reference, int glpiId, DateTimeOffset createdAt)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO external_tickets (ticket_id, reference, external_id, state, attempts, created_at, updated_at, glpi_status, followup_count)
            VALUES ($id, $reference, $glpiId, 'created', 1, $at, $at, 1, 0)
            """;
        command.Parameters.AddWithValue("$id", ticketId.ToString("D"));
        command.Parameters.AddWithValue("$reference", reference);
        command.Parameters.AddWithValue("$glpiId", glpiId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$at", createdAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture));
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Leaves the trace of an upload that died before knowing whether GLPI stored the file: <c>posting</c>.</summary>
    public async Task RecordPostingAsync(Guid ticketId, TicketHub.Contracts.AttachmentRef attachment)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO sent_documents (attachment_id, ticket_id, file_name, state, attempts, created_at)
            VALUES ($id, $ticket, $name, 'posting', 1, '2026-11-20T09:15:03.0000000Z')
            """;
        command.Parameters.AddWithValue("$id", attachment.Id.ToString("D"));
        command.Parameters.AddWithValue("$ticket", ticketId.ToString("D"));
        command.Parameters.AddWithValue("$name", attachment.FileName);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The stored search cursor (a GLPI date_mod), or null.</summary>
    public async Task<string?> CursorAsync()
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM sync_cursors";
        return (string?)await command.ExecuteScalarAsync();
    }

    /// <summary>ExternalTicketUpdated messages written to the outbox, sent or not.</summary>
    public async Task<long> UpdatesInOutboxAsync()
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(1) FROM outbox_messages WHERE message_type = 'TicketHub.Contracts.ExternalTicketUpdated'";
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
