using System.Text;
using Microsoft.Extensions.Options;

namespace TicketHub.Connectors.Itop.Itop;

/// <summary>
/// Puts <c>auth_user</c> and <c>auth_pwd</c> in the form just before the request leaves, and puts
/// the form without them back as soon as it is answered: a request message outlives the call inside
/// exceptions (Refit keeps it) and must not carry the password there.
/// </summary>
internal sealed class ItopCredentialsHandler(IOptions<ItopOptions> options) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var form = request.Content;
        var fields = form is null ? "" : await form.ReadAsStringAsync(cancellationToken);
        var credentials = $"auth_user={Uri.EscapeDataString(options.Value.AuthUser)}&auth_pwd={Uri.EscapeDataString(options.Value.AuthPassword)}";
        using var signed = new ByteArrayContent(Encoding.ASCII.GetBytes(fields.Length == 0 ? credentials : $"{credentials}&{fields}"));
        signed.Headers.ContentType = new("application/x-www-form-urlencoded");
        request.Content = signed;
        try
        {
            return await base.SendAsync(request, cancellationToken);
        }
        finally
        {
            request.Content = form;
        }
    }
}
