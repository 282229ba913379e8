using System.Diagnostics;
using System.Text;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using TicketHub.EndToEnd.Tests.Infrastructure;

namespace TicketHub.EndToEnd.Tests;

/// <summary>
/// The hub runs with one broker user per service (deploy/rabbitmq-users.sh): every other test of this
/// assembly shows that each service has what it needs; these show that it has nothing more, and that
/// guest has nothing on the hub's vhost.
/// </summary>
public sealed class BrokerUsersTests
{
    private static string Secrets => HubSystem.BrokerSecrets;

    private static async Task<IConnection> ConnectAsync(string user, string password) =>
        await new ConnectionFactory
        {
            HostName = "127.0.0.1",
            Port = Broker.Port,
            VirtualHost = Broker.VirtualHost,
            UserName = user,
            Password = password,
            AutomaticRecoveryEnabled = false,
        }.CreateConnectionAsync();

    private static Task<IConnection> ConnectAsAsync(string service) =>
        ConnectAsync($"{Broker.VirtualHost}-{service}", File.ReadAllText(Path.Combine(Secrets, $"rabbitmq-{service}.password")));

    /// <summary>The exception <paramref name="action"/> throws; the test fails when it throws none.</summary>
    private static async Task<T> RefusalAsync<T>(Func<Task> action)
        where T : Exception
    {
        try
        {
            await action();
        }
        catch (T refused)
        {
            return refused;
        }

        Assert.Fail("The broker allowed it.");
        throw new UnreachableException();
    }

    [Test]
    public async Task Guest_cannot_open_the_hubs_virtual_host()
    {
        // The broker refuses at connection.open; the client may report it there or at the next use.
        var refused = await RefusalAsync<OperationInterruptedException>(async () =>
        {
            await using var connection = await ConnectAsync("guest", "guest");
            await using var channel = await connection.CreateChannelAsync();
            await channel.QueueDeclarePassiveAsync("intake-ticket-routed");
        });

        Assert.That(refused.ShutdownReason?.ReplyCode, Is.EqualTo(530), refused.Message);
    }

    [Test]
    public async Task A_service_with_a_wrong_password_is_refused() =>
        await RefusalAsync<BrokerUnreachableException>(async () => await (await ConnectAsync($"{Broker.VirtualHost}-intake", "devine")).DisposeAsync());

    [TestCase("classifier", "TicketHub.Contracts:TicketRouted", TestName = "The_classifier_may_publish_routing_decisions")]
    [TestCase("connectors-glpi", "TicketHub.Contracts:ExternalTicketUpdated", TestName = "A_connector_may_publish_what_its_tool_says")]
    [TestCase("intake", "TicketHub.Contracts:TicketSubmitted", TestName = "Intake_may_publish_submitted_tickets")]
    public async Task A_service_may_publish_its_own_messages(string service, string exchange)
    {
        await using var connection = await ConnectAsAsync(service);
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true);

        await channel.BasicPublishAsync(exchange, "", Encoding.UTF8.GetBytes("{}"));
    }

    [TestCase("classifier", "TicketHub.Contracts:ExternalTicketUpdated", TestName = "The_classifier_cannot_inject_a_technicians_reply")]
    [TestCase("connectors-glpi", "TicketHub.Contracts:TicketSubmitted", TestName = "A_connector_cannot_submit_a_ticket")]
    [TestCase("connectors-itop", "TicketHub.Contracts:TicketRouted", TestName = "A_connector_cannot_route_a_ticket")]
    [TestCase("intake", "TicketHub.Contracts:TicketForwarded", TestName = "Intake_cannot_pretend_a_ticket_was_forwarded")]
    [TestCase("classifier", "intake-ticket-routed", TestName = "A_service_cannot_send_to_another_services_queue")]
    public async Task A_service_cannot_publish_another_services_messages(string service, string exchange)
    {
        await using var connection = await ConnectAsAsync(service);
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));

        var refused = await RefusalAsync<OperationInterruptedException>(async () =>
            await channel.BasicPublishAsync(exchange, "", Encoding.UTF8.GetBytes("{}")));
        Assert.That(refused.ShutdownReason?.ReplyCode, Is.EqualTo(403), refused.Message);
    }

    [Test]
    public async Task A_service_cannot_read_another_services_queue()
    {
        await using var connection = await ConnectAsAsync("connectors-glpi");
        await using var channel = await connection.CreateChannelAsync();

        var refused = await RefusalAsync<OperationInterruptedException>(async () =>
            await channel.BasicGetAsync("intake-ticket-routed", autoAck: false));
        Assert.That(refused.ShutdownReason?.ReplyCode, Is.EqualTo(403), refused.Message);
    }
}
