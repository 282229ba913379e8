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
}
