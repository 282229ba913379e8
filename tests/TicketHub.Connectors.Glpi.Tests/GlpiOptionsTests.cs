using Microsoft.Extensions.Options;
using TicketHub.Connectors.Glpi.Glpi;

namespace TicketHub.Connectors.Glpi.Tests;

public sealed class GlpiOptionsTests
{
    [TestCase("Glpi:AppToken", "Glpi:AppToken is required: set the environment variable Glpi__AppToken.")]
    [TestCase("Glpi:UserToken", "Glpi:UserToken is required: set the environment variable Glpi__UserToken.")]
    [TestCase("Glpi:BaseUrl", "Glpi:BaseUrl is required")]
    [TestCase("Glpi:TimeZone", "Glpi:TimeZone")]
    public void Refuses_to_start_without_a_setting_and_names_it(string key, string message)
    {
        using var host = new GlpiClientHost("http://127.0.0.1:1/glpi/apirest.php", new Dictionary<string, string?> { [key] = "" });

        var error = Assert.Throws<OptionsValidationException>(() => _ = host.Get<IOptions<GlpiOptions>>().Value);

        Assert.That(error!.Message, Does.Contain(message));
    }

    [Test]
    public void Refuses_a_base_url_that_is_not_an_absolute_http_address()
    {
        using var host = new GlpiClientHost("glpi.example/apirest.php");

        var error = Assert.Throws<OptionsValidationException>(() => _ = host.Get<IOptions<GlpiOptions>>().Value);

        Assert.That(error!.Message, Does.Contain("Glpi:BaseUrl").And.Contain("absolute http(s) URL"));
    }

    [Test]
    public void Reads_the_entity_and_category_mappings_whatever_the_case_of_the_keys()
    {
        using var host = new GlpiClientHost("http://127.0.0.1:1/glpi/apirest.php", new Dictionary<string, string?>
        {
            ["Glpi:Mapping:DefaultEntityId"] = "3",
            ["Glpi:Mapping:Entities:0931234x"] = "12",
            ["Glpi:Mapping:Categories:Imprimante"] = "7",
        });

        var mapping = host.Get<IOptions<GlpiOptions>>().Value.Mapping;

        Assert.That(mapping.DefaultEntityId, Is.EqualTo(3));
        Assert.That(mapping.Entities["0931234X"], Is.EqualTo(12));
        Assert.That(mapping.Categories["imprimante"], Is.EqualTo(7));
    }

    [Test]
    public void Links_to_the_ticket_page_of_the_public_address()
    {
        Assert.That(new GlpiOptions { PublicUrl = "https://glpi.example/" }.TicketLink(15), Is.EqualTo("https://glpi.example/front/ticket.form.php?id=15"));
        Assert.That(new GlpiOptions { PublicUrl = null }.TicketLink(15), Is.Null);
    }

    [Test]
    public void Maps_GLPI_statuses_to_hub_statuses_by_default_and_lets_configuration_change_one()
    {
        using var host = new GlpiClientHost("http://127.0.0.1:1/glpi/apirest.php", new Dictionary<string, string?>
        {
            ["Glpi:StatusMapping:3"] = "waiting",
        });

        var options = host.Get<IOptions<GlpiOptions>>().Value;

        Assert.That(Enumerable.Range(1, 6).Select(options.HubStatusOf),
            Is.EqualTo(new[] { "forwarded", "in-progress", "waiting", "waiting", "resolved", "closed" }));
        Assert.That(options.Sync.Interval, Is.EqualTo(TimeSpan.FromSeconds(10)));
        Assert.That(options.Sync.PageSize, Is.EqualTo(100));
    }

    [TestCase("Glpi:StatusMapping:4", "pending", "Glpi:StatusMapping:4 is 'pending', not a hub status (closed, forwarded, in-progress, resolved, waiting).")]
    [TestCase("Glpi:StatusMapping:7", "closed", "Glpi:StatusMapping:7 is not a GLPI status")]
    [TestCase("Glpi:Sync:Interval", "00:00:00", "Glpi:Sync:Interval must be between 00:00:01 and 00:10:00.")]
    [TestCase("Glpi:Sync:PageSize", "0", "Glpi:Sync:PageSize must be between 1 and 1000.")]
    public void Refuses_to_start_with_a_wrong_status_mapping_or_sync_setting(string key, string value, string message)
    {
        using var host = new GlpiClientHost("http://127.0.0.1:1/glpi/apirest.php", new Dictionary<string, string?> { [key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => _ = host.Get<IOptions<GlpiOptions>>().Value);

        Assert.That(error!.Message, Does.Contain(message));
    }
}
