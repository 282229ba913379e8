using Microsoft.Data.Sqlite;

namespace TicketHub.EndToEnd.Tests.Infrastructure;

/// <summary>A service's SQLite file, read (read-only) while the service runs.</summary>
internal static class ServiceDatabase
{
    public static async Task<long> ScalarAsync(string file, string sql)
    {
        await using var connection = await OpenAsync(file);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public static async Task<SqliteConnection> OpenAsync(string file)
    {
        var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var wait = connection.CreateCommand();
        wait.CommandText = "PRAGMA busy_timeout = 10000;";
        await wait.ExecuteNonQueryAsync();
        return connection;
    }
}
