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
        Broker.DeleteVirtualHost(VirtualHost);
    }
}
