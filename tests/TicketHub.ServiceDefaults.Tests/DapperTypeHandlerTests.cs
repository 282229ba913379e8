using Dapper;
using Microsoft.Data.Sqlite;
using TicketHub.ServiceDefaults.Data;

namespace TicketHub.ServiceDefaults.Tests;

/// <summary>SQLite keeps dates and GUIDs as text: they must come back as they went in, NULL included.</summary>
public class DapperTypeHandlerTests
{
    private SqliteConnection _connection = null!;

    [SetUp]
    public void SetUp()
    {
        DapperTypeHandlers.Register();
        _connection = new SqliteConnection("Data Source=:memory:");
        _connection.Open();
        _connection.Execute("CREATE TABLE t (id TEXT NULL, at TEXT NULL)");
    }

    [TearDown]
    public void TearDown() => _connection.Dispose();

    [Test]
    public async Task Dates_and_ids_round_trip_through_SQLite_text_in_UTC()
    {
        var id = Guid.NewGuid();
        var at = new DateTimeOffset(2026, 11, 23, 10, 15, 30, TimeSpan.FromHours(1));

        await _connection.ExecuteAsync("INSERT INTO t (id, at) VALUES (@Id, @At)", new { Id = id, At = at });
        var row = await _connection.QuerySingleAsync<(Guid Id, DateTimeOffset At)>("SELECT id, at FROM t");

        Assert.That(row.Id, Is.EqualTo(id));
        Assert.That(row.At, Is.EqualTo(at));
        Assert.That(row.At.Offset, Is.EqualTo(TimeSpan.Zero));
        Assert.That(await _connection.ExecuteScalarAsync<string>("SELECT at FROM t"), Is.EqualTo("2026-11-23T09:15:30.0000000Z"));
    }

    [Test]
    public async Task NULL_reads_as_null_into_nullable_dates_and_ids()
    {
        await _connection.ExecuteAsync("INSERT INTO t (id, at) VALUES (NULL, NULL)");

        Assert.That(await _connection.QuerySingleOrDefaultAsync<DateTimeOffset?>("SELECT at FROM t"), Is.Null);
        Assert.That(await _connection.QuerySingleOrDefaultAsync<Guid?>("SELECT id FROM t"), Is.Null);
        var row = await _connection.QuerySingleAsync<Row>("SELECT id, at FROM t");
        Assert.That(row.Id, Is.Null);
        Assert.That(row.At, Is.Null);
    }

    [Test]
    public async Task Null_parameters_are_written_as_NULL()
    {
        await _connection.ExecuteAsync("INSERT INTO t (id, at) VALUES (@Id, @At)", new { Id = (Guid?)null, At = (DateTimeOffset?)null });

        Assert.That(await _connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM t WHERE id IS NULL AND at IS NULL"), Is.EqualTo(1));
    }

    [Test]
    public void A_stored_instant_reads_in_UTC_from_each_database_s_type()
    {
        var at = new DateTimeOffset(2026, 11, 23, 9, 15, 30, TimeSpan.Zero);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(StoredInstant.Parse(DBNull.Value), Is.Null);
            Assert.That(StoredInstant.Parse("2026-11-23T09:15:30.0000000Z"), Is.EqualTo(at));
            Assert.That(StoredInstant.Parse("2026-11-23 09:15:30"), Is.EqualTo(at), "a SQL literal, without zone: UTC");
            Assert.That(StoredInstant.Parse(new DateTime(2026, 11, 23, 9, 15, 30, DateTimeKind.Unspecified))!.Value.Offset, Is.EqualTo(TimeSpan.Zero));
            Assert.That(StoredInstant.Parse(at.ToOffset(TimeSpan.FromHours(1))), Is.EqualTo(at));
        }
    }

    private sealed record Row(Guid? Id, DateTimeOffset? At);
}
