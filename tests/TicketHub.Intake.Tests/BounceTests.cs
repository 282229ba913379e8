using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using TicketHub.Contracts;
using TicketHub.Intake.Notifications;

namespace TicketHub.Intake.Tests;

/// <summary>A mail server that refuses an address for good: recorded on the person, not retried, nothing more sent to it (issue 15).</summary>
public sealed class BounceTests
{
    [Test]
    public async Task An_address_the_mail_server_refuses_for_good_is_recorded_and_not_written_to_again()
    {
        using var server = new RefusingSmtpServer();
        using var factory = new IntakeFactory(new Dictionary<string, string?>
        {
            ["Notifications:Smtp:Host"] = "127.0.0.1",
            ["Notifications:Smtp:Port"] = server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Notifications:Smtp:Security"] = "None",
        });
        using var client = factory.ClientFor(TestIdentity.Admin);
        var tickets = new TicketScenarios(factory, client);

        var (id, reference) = await tickets.RoutedAsync(ExternalTools.Glpi);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        var preferences = factory.Services.GetRequiredService<NotificationPreferences>();
        while ((await preferences.FindAsync("claire.martin@ac-creteil.fr", CancellationToken.None)).BouncedAt is null)
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "the refusal was never recorded");
            await Task.Delay(100);
        }

        Assert.That(server.Refused, Is.EqualTo(1), "a final refusal is not retried");
        await tickets.DeliverAsync(new TicketForwarded(id, reference, ExternalTools.Glpi, "15", null, TicketScenarios.T0));
        await Task.Delay(1500);
        Assert.That(server.Refused, Is.EqualTo(1), "nothing more is sent to a refused address");
        Assert.That(factory.Services.GetTestHarness().Published.Select<MessageDeadLettered>().Any(), Is.False, "no dead letter: the message is done");
    }
}
