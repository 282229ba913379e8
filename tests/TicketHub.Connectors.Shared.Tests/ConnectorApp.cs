using Microsoft.Extensions.DependencyInjection;

namespace TicketHub.Connectors.Shared.Tests;

/// <summary>
/// A connector host as it runs (PASS's, or Omère's with <typeparamref name="TProgram"/>), on a SQLite
/// file of its own, with MassTransit's in-memory test harness in place of RabbitMQ. Given the folder
/// of an earlier instance, it starts again on that instance's database, as after a restart.
/// </summary>
internal sealed class ConnectorApp<TProgram>(string section, Dictionary<string, string?> settings, string? directory = null, Action<IServiceCollection>? services = null)
    : ConnectorAppBase<TProgram>("tool", directory, Defaults(section), settings, services, testTimeout: TimeSpan.FromSeconds(60), inactivityTimeout: TimeSpan.FromSeconds(1))
    where TProgram : class
{
    private static Dictionary<string, string?> Defaults(string section) => new()
    {
        [$"{section}:Http:Timeout"] = "00:00:02",
        [$"{section}:Sync:Enabled"] = "false",
    };

    /// <summary>A service of the running host, e.g. the sync to drive it by hand.</summary>
    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    /// <summary>(state, external_id, attempts, tool_status) of the ticket's row, or null.</summary>
    public async Task<(string State, string? ExternalId, long Attempts, string? ToolStatus)?> RowAsync(Guid ticketId)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT state, external_id, attempts, tool_status FROM external_tickets WHERE ticket_id = $id";
        command.Parameters.AddWithValue("$id", ticketId.ToString("D"));
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetInt64(2), reader.IsDBNull(3) ? null : reader.GetString(3))
            : null;
    }
}
