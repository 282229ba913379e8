using Microsoft.Data.Sqlite;

namespace TicketHub.Connectors.Itop.Tests;

/// <summary>The connector's database as an earlier version left it, brought up to date by the migrations it has now.</summary>
public sealed class MigrationTests
{
    [Test]
    public void Keeps_the_iTop_key_of_requests_created_before_the_ledger_was_shared()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        Execute(connection, Migration("0001_external_tickets.sql"));
        Execute(connection, """
            INSERT INTO external_tickets (ticket_id, reference, itop_id, state, attempts, log_entries, created_at, updated_at) VALUES
            ('3f2c1a6e-0000-4000-8000-000000000001', 'TH-2026-000001', 15, 'created', 1, 2, '2024-11-20T09:15:03.0000000Z', '2024-11-20T09:15:03.0000000Z'),
            ('3f2c1a6e-0000-4000-8000-000000000002', 'TH-2026-000002', NULL, 'creating', 1, 0, '2024-11-20T09:15:03.0000000Z', '2024-11-20T09:15:03.0000000Z')
            """);

        Execute(connection, Migration("0002_external_id.sql"));

        Assert.That(Rows(connection), Is.EqualTo(new[] { ("TH-2026-000001", (string?)"15", 2L), ("TH-2026-000002", null, 0L) }));
        using var columns = connection.CreateCommand();
        columns.CommandText = "SELECT COUNT(*) FROM pragma_table_info('external_tickets') WHERE name = 'itop_id'";
        Assert.That((long)columns.ExecuteScalar()!, Is.Zero, "one place says which request is the hub's: external_id");
    }

    [Test]
    public void Records_the_tickets_created_before_the_ITIL_classes_as_UserRequests()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        foreach (var name in new[] { "0001_external_tickets.sql", "0002_external_id.sql", "0003_sent_documents.sql" })
        {
            Execute(connection, Migration(name));
        }

        Execute(connection, """
            INSERT INTO external_tickets (ticket_id, reference, external_id, state, attempts, log_entries, created_at, updated_at)
            VALUES ('3f2c1a6e-0000-4000-8000-000000000001', 'TH-2026-000001', '15', 'created', 1, 2, '2024-11-20T09:15:03.0000000Z', '2024-11-20T09:15:03.0000000Z')
            """);

        Execute(connection, Migration("0004_itop_class.sql"));

        using var command = connection.CreateCommand();
        command.CommandText = "SELECT itop_class FROM external_tickets";
        Assert.That(command.ExecuteScalar(), Is.EqualTo("UserRequest"), "before, every ticket went to UserRequest");
    }

    private static string Migration(string name)
    {
        var resource = $"TicketHub.Connectors.Itop.Migrations.Sqlite.{name}";
        using var stream = typeof(Program).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"{resource} is not embedded in the connector");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static List<(string Reference, string? ExternalId, long LogEntries)> Rows(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT reference, external_id, log_entries FROM external_tickets ORDER BY reference";
        using var reader = command.ExecuteReader();
        var rows = new List<(string, string?, long)>();
        while (reader.Read())
        {
            rows.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetInt64(2)));
        }

        return rows;
    }
}
