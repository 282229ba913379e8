using System.Net;
using TicketHub.Connectors.Glpi.Glpi;

namespace TicketHub.Connectors.Glpi.Tests;

public sealed class GlpiErrorTests
{
    [Test]
    public void Reads_GLPI_error_array()
    {
        var error = GlpiError.From(HttpStatusCode.NotFound, """["ERROR_ITEM_NOT_FOUND","Item not found"]""");

        Assert.That(error, Is.EqualTo(new GlpiError(HttpStatusCode.NotFound, "ERROR_ITEM_NOT_FOUND", "Item not found")));
        Assert.That(error.ToString(), Is.EqualTo("HTTP 404 ERROR_ITEM_NOT_FOUND: Item not found"));
    }

    [Test]
    public void Keeps_the_detail_of_a_bulk_error_as_JSON()
    {
        var error = GlpiError.From(HttpStatusCode.BadRequest, """["ERROR_GLPI_ADD",[{"id":false,"message":"Champ obligatoire"}]]""");

        Assert.That(error.Code, Is.EqualTo("ERROR_GLPI_ADD"));
        Assert.That(error.Message, Does.Contain("Champ obligatoire"));
    }

    [Test]
    public void Keeps_the_start_of_a_body_that_is_not_GLPI_JSON()
    {
        var error = GlpiError.From(HttpStatusCode.BadGateway, "<html><body>502 Bad Gateway</body></html>");

        Assert.That(error.Code, Is.EqualTo("HTTP_502"));
        Assert.That(error.Message, Does.Contain("502 Bad Gateway"));
    }

    [TestCase(HttpStatusCode.BadRequest, true)]
    [TestCase(HttpStatusCode.Forbidden, true)]
    [TestCase(HttpStatusCode.NotFound, true)]
    [TestCase(HttpStatusCode.Unauthorized, false)]
    [TestCase(HttpStatusCode.RequestTimeout, false)]
    [TestCase(HttpStatusCode.TooManyRequests, false)]
    [TestCase(HttpStatusCode.InternalServerError, false)]
    [TestCase(HttpStatusCode.ServiceUnavailable, false)]
    public void Tells_a_refusal_from_a_failure_worth_retrying(HttpStatusCode status, bool refusal)
    {
        Assert.That(GlpiError.From(status, """["ERROR","x"]""").IsRefusal, Is.EqualTo(refusal));
    }
}
