using Microsoft.Extensions.DependencyInjection;

namespace TicketHub.Connectors.Itop.Tests;

/// <summary>
/// The connector as it runs, on a SQLite file of its own, with MassTransit's in-memory test harness
/// in place of RabbitMQ and WireMock's iTop in place of the infogérant's. Given the folder of an
/// earlier instance, it starts again on that instance's database, as after a restart.
/// </summary>
internal sealed class ConnectorApp(Dictionary<string, string?>? settings = null, string? directory = null, Action<IServiceCollection>? services = null)
    : ConnectorAppBase<Program>("itop", directory, Defaults(), settings, services, testTimeout: TimeSpan.FromSeconds(60), inactivityTimeout: TimeSpan.FromSeconds(1))
{
    private static Dictionary<string, string?> Defaults() => new(ItopServers.Intake.Settings())
    {
        ["Itop:BaseUrl"] = ItopServers.Itop.ApiUrl,
        ["Itop:PublicUrl"] = "https://itop.example",
        ["Itop:AuthUser"] = FakeItop.AuthUser,
        ["Itop:AuthPassword"] = FakeItop.AuthPassword,
        ["Itop:Timeout"] = "00:00:02",
        ["Itop:TicketClasses"] = "itil",
        ["Itop:Mapping:DefaultOrgId"] = "1",
        ["Itop:Mapping:Orgs:0931234X"] = "12",
        ["Itop:Mapping:CallerId"] = "34",
        ["Itop:Mapping:Services:imprimante"] = "7",
        ["Itop:Sync:Interval"] = "00:00:00.1",
    };

    /// <summary>The row of <c>external_tickets</c> for <paramref name="ticketId"/> (the iTop key is kept as text in <c>external_id</c>).</summary>
    public async Task<ExternalTicketRow?> ExternalTicketAsync(Guid ticketId)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT state, external_id, attempts, last_error, itop_status, itop_last_update, log_entries, moved_at IS NOT NULL, closed_at IS NOT NULL
            FROM external_tickets WHERE ticket_id = $id
            """;
        command.Parameters.AddWithValue("$id", ticketId.ToString("D"));
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? new ExternalTicketRow(
                reader.GetString(0),
                reader.IsDBNull(1) ? null : int.Parse(reader.GetString(1), System.Globalization.CultureInfo.InvariantCulture),
                reader.GetInt64(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.GetInt32(6),
                reader.GetBoolean(7),
                reader.GetBoolean(8))
            : null;
    }

    /// <summary>A request the connector created earlier: new, last read at <paramref name="lastUpdate"/>, with <paramref name="logEntries"/> entries seen.</summary>
    public Task RecordCreatedAsync(
        Guid ticketId, string reference, int itopId, string status = "new", string lastUpdate = "2024-11-20 10:15:03", int logEntries = 0, string itopClass = "UserRequest") =>
        ExecuteAsync($"""
            INSERT INTO external_tickets (ticket_id, reference, external_id, itop_class, state, attempts, itop_status, itop_last_update, log_entries, created_at, updated_at)
            VALUES ($id, $reference, '{itopId}', '{itopClass}', 'created', 1, '{status}', '{lastUpdate}', {logEntries}, '2024-11-20T09:15:03.0000000Z', '2024-11-20T09:15:03.0000000Z')
            """, ticketId, reference);

    /// <summary>As if the connector had died after iTop created the ticket and before it recorded it: the attempt is unfinished again.</summary>
    public Task ForgetCreationAsync(Guid ticketId, string reference) => ExecuteAsync(
        "UPDATE external_tickets SET state = 'creating', external_id = NULL, external_url = NULL WHERE ticket_id = $id AND reference = $reference",
        ticketId, reference);

    /// <summary>The iTop class recorded for <paramref name="ticketId"/>.</summary>
    public async Task<string?> ItopClassAsync(Guid ticketId)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT itop_class FROM external_tickets WHERE ticket_id = $id";
        command.Parameters.AddWithValue("$id", ticketId.ToString("D"));
        return await command.ExecuteScalarAsync() as string;
    }

    /// <summary>Records that the hub wrote entry <paramref name="index"/> of the request's public log, as <paramref name="userId"/>.</summary>
    public async Task RecordHubEntryAsync(Guid ticketId, int index, string userId)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO hub_log_entries (ticket_id, entry_index, user_id, written_at) VALUES ($id, $index, $user, '2024-11-20T10:30:00.0000000Z')";
        command.Parameters.AddWithValue("$id", ticketId.ToString("D"));
        command.Parameters.AddWithValue("$index", index);
        command.Parameters.AddWithValue("$user", userId);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The entries the hub recorded as its own: (index, user id).</summary>
    public async Task<IReadOnlyList<(int Index, string? UserId)>> HubEntriesAsync(Guid ticketId)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT entry_index, user_id FROM hub_log_entries WHERE ticket_id = $id ORDER BY entry_index";
        command.Parameters.AddWithValue("$id", ticketId.ToString("D"));
        await using var reader = await command.ExecuteReaderAsync();
        var entries = new List<(int, string?)>();
        while (await reader.ReadAsync())
        {
            entries.Add((reader.GetInt32(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
        }

        return entries;
    }

    /// <summary>The sync's cursor, as stored (UTC text), or null.</summary>
    public async Task<string?> SyncCursorAsync()
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT last_update FROM sync_cursor WHERE id = 1";
        return await command.ExecuteScalarAsync() as string;
    }
}

internal sealed record ExternalTicketRow(
    string State, int? ItopId, long Attempts, string? LastError, string? ItopStatus, string? ItopLastUpdate, int LogEntries, bool Moved, bool Closed);
