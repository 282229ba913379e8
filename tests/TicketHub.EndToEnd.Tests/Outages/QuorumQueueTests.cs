using System.Globalization;
using TicketHub.EndToEnd.Tests.Infrastructure;

namespace TicketHub.Outages;

/// <summary>
/// <c>RabbitMq:QuorumQueues</c> (issue 13): a service declares its queues as quorum queues, which a
/// RabbitMQ cluster replicates so that the loss of one node loses no message. Checked on the tests'
/// own node, with a real service process: the broker says which type each queue has.
/// </summary>
public sealed class QuorumQueueTests
{
    [Test]
    public async Task With_quorum_queues_on_every_queue_a_service_consumes_is_a_quorum_queue()
    {
        const string VirtualHost = "tickethub-quorum";
        Broker.EnsureFreshVirtualHost(VirtualHost);
        var folder = Path.Combine(Path.GetTempPath(), "tickethub-quorum", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(folder);
        var identity = new HubIdentity(folder);
        var settings = Broker.ServiceSettings(VirtualHost);
        settings["RabbitMq__QuorumQueues"] = "true";
        settings["Database__ConnectionString"] = $"Data Source={Path.Combine(folder, "intake.db")}";
        settings[identity.ServiceSetting.Key] = identity.ServiceSetting.Value;
        using var intake = new ServiceProcess("intake", "services/Intake/TicketHub.Intake", ServiceProcess.FreePort(), settings, folder);

        intake.Start();
        await intake.WaitUntilHealthyAsync("/health/ready", TimeSpan.FromSeconds(90));

        var types = Broker.QueueTypes(VirtualHost);
        var consumed = types.Where(q => !q.Key.EndsWith("_error", StringComparison.Ordinal) && !q.Key.EndsWith("_skipped", StringComparison.Ordinal)).ToList();
        TestContext.Progress.WriteLine(string.Join(", ", types.Select(q => $"{q.Key}: {q.Value}")));
        Assert.That(consumed.Select(q => q.Key), Does.Contain("intake-ticket-routed"), "intake's queues were declared");
        Assert.That(consumed.Where(q => q.Value != "quorum").Select(q => q.Key), Is.Empty, "classic queues left");

        // A delayed redelivery goes back to its quorum queue. The relay once sent to "queue:…", which
        // declares the queue as a classic one: RabbitMQ refused it (406, inequivalent x-queue-type), the
        // relay tried again for ever, and the ticket never moved (found by the replica test).
        var seq = await ScheduleRedeliveryAsync(Path.Combine(folder, "intake.db"), "intake-ticket-forwarded");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await ServiceDatabase.ScalarAsync(Path.Combine(folder, "intake.db"), $"SELECT COUNT(*) FROM scheduled_redeliveries WHERE seq = {seq} AND sent_at IS NOT NULL") == 0)
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), $"the redelivery was never sent to its quorum queue\n{intake.LogTail()}");
            await Task.Delay(250);
        }

        Broker.DeleteVirtualHost(VirtualHost);
    }

    /// <summary>A redelivery due now, as the retry policy schedules one, of a message intake ignores (a ticket it does not hold).</summary>
    private static async Task<long> ScheduleRedeliveryAsync(string database, string queue)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO scheduled_redeliveries (message_id, message_type, body, queue, redelivery, first_failed_at, trace_parent, due_at, sent_at)
            VALUES ($id, 'TicketHub.Contracts.TicketForwarded', $body, $queue, 1, $now, NULL, $now, NULL);
            SELECT last_insert_rowid();
            """;
        var now = DateTime.UtcNow.AddSeconds(-1).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
        command.Parameters.AddWithValue("$id", Guid.NewGuid().ToString("D"));
        command.Parameters.AddWithValue("$body", $$"""{"ticketId":"{{Guid.NewGuid()}}","reference":"TH-2026-999999","tool":"glpi","externalId":"1","forwardedAt":"{{now}}"}""");
        command.Parameters.AddWithValue("$queue", queue);
        command.Parameters.AddWithValue("$now", now);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
