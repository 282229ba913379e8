using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace TicketHub.Portal.Services;

/// <summary>Intake's API, called with the current user's token (<see cref="ForwardAuthorizationHandler"/>).</summary>
public sealed class IntakeClient(HttpClient http, ILogger<IntakeClient> logger) : ServiceClient(http, "des demandes", logger)
{
    /// <summary>
    /// <c>POST /api/v1/tickets</c>: JSON alone, or <c>multipart/form-data</c> (part <c>ticket</c> =
    /// the JSON, parts <c>attachments</c> = the files) when files are attached. The same
    /// <paramref name="idempotencyKey"/> and the same content give the same ticket: a form sent twice
    /// makes one ticket (intake binds the key to the ticket's JSON and the files' names and contents).
    /// </summary>
    public Task<ApiResult<TicketAccepted>> CreateTicketAsync(
        TicketSubmission ticket, IReadOnlyList<UploadedFile> attachments, string idempotencyKey, CancellationToken cancellationToken) =>
        SendAsync<TicketAccepted>(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/tickets") { Content = WithFiles(ticket, "ticket", attachments) };
            request.Headers.Add("Idempotency-Key", idempotencyKey);
            return request;
        }, cancellationToken);

    /// <summary>JSON alone, or <c>multipart/form-data</c>: the JSON as part <paramref name="jsonPart"/>, the files as parts <c>attachments</c>.</summary>
    private static HttpContent WithFiles<T>(T body, string jsonPart, IReadOnlyList<UploadedFile> files)
    {
        var json = JsonContent.Create(body, options: Json);
        if (files.Count == 0)
        {
            return json;
        }

        var multipart = new MultipartFormDataContent { { json, jsonPart } };
        foreach (var file in files)
        {
            var part = new StreamContent(file.Open());
            part.Headers.ContentType = MediaTypeHeaderValue.TryParse(file.ContentType, out var type)
                ? type
                : new MediaTypeHeaderValue("application/octet-stream");
            multipart.Add(part, "attachments", file.FileName);
        }

        return multipart;
    }

    public Task<ApiResult<TicketView>> GetTicketAsync(string id, CancellationToken cancellationToken) =>
        GetAsync<TicketView>($"api/v1/tickets/{Uri.EscapeDataString(id)}", cancellationToken);

    public Task<ApiResult<ListPage<TicketSummary>>> ListTicketsAsync(TicketQuery query, CancellationToken cancellationToken) =>
        GetAsync<ListPage<TicketSummary>>("api/v1/tickets" + Query(
            ("status", query.Status), ("collegeUai", query.CollegeUai), ("target", query.Target), ("tool", query.Tool),
            ("ut", query.Ut), ("limit", query.Limit.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("after", query.After)), cancellationToken);

    /// <summary>
    /// <c>POST /api/v1/tickets/{id}/comments</c>, with its files if any (part <c>comment</c> = the JSON):
    /// intake names the author from the token and checks the files as a new ticket's.
    /// </summary>
    public Task<ApiResult<System.Text.Json.JsonElement>> AddCommentAsync(Guid id, string text, IReadOnlyList<UploadedFile> files, CancellationToken cancellationToken) =>
        SendAsync<System.Text.Json.JsonElement>(
            () => new HttpRequestMessage(HttpMethod.Post, $"api/v1/tickets/{id}/comments") { Content = WithFiles(new { text }, "comment", files) },
            cancellationToken);

    /// <summary><c>GET /api/v1/notifications/preferences</c>: what the address of a mail's signed link receives (no account needed).</summary>
    public Task<ApiResult<NotificationPreference>> NotificationPreferenceAsync(string email, string token, CancellationToken cancellationToken) =>
        GetAsync<NotificationPreference>($"api/v1/notifications/preferences?email={Uri.EscapeDataString(email)}&token={Uri.EscapeDataString(token)}", cancellationToken);

    /// <summary><c>PUT /api/v1/notifications/preferences</c>.</summary>
    public Task<ApiResult<NotificationPreference>> ChooseNotificationsAsync(string email, string token, string mode, CancellationToken cancellationToken) =>
        SendAsync<NotificationPreference>(() => new HttpRequestMessage(HttpMethod.Put, "api/v1/notifications/preferences")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { email, token, mode }),
        }, cancellationToken);

    /// <summary><c>POST /api/v1/tickets/{id}/followers</c>: the signed-in person reported the same fault and follows the ticket.</summary>
    public Task<ApiResult<System.Text.Json.JsonElement>> FollowAsync(Guid id, string? email, string? text, CancellationToken cancellationToken) =>
        PostJsonAsync<System.Text.Json.JsonElement>($"api/v1/tickets/{id}/followers", new { email, text }, cancellationToken);

    /// <summary><c>POST /api/v1/tickets/{id}/duplicate-of</c>: closes the ticket as a duplicate of <paramref name="kept"/> (a reference).</summary>
    public Task<ApiResult<TicketView>> CloseAsDuplicateAsync(Guid id, string kept, CancellationToken cancellationToken) =>
        PostJsonAsync<TicketView>($"api/v1/tickets/{id}/duplicate-of", new { ticket = kept }, cancellationToken);

    /// <summary>
    /// <c>POST /api/v1/tickets/{id}/external-updates</c>: the tool's operator reports what happened in
    /// PASS or Omère; intake audits it under the token's user and answers with the ticket as it now is.
    /// </summary>
    public Task<ApiResult<TicketView>> ReportExternalUpdateAsync(Guid id, ExternalUpdateSubmission update, CancellationToken cancellationToken) =>
        PostJsonAsync<TicketView>($"api/v1/tickets/{id}/external-updates", update, cancellationToken);

    /// <summary>
    /// <c>GET /api/v1/tickets/{id}/attachments/{attachmentId}</c>: the open response (the caller
    /// streams it to the browser and disposes it), or the problem.
    /// </summary>
    public Task<(HttpResponseMessage? Response, ApiProblem? Problem)> OpenAttachmentAsync(Guid id, Guid attachmentId, CancellationToken cancellationToken) =>
        OpenAsync($"api/v1/tickets/{id}/attachments/{attachmentId}", cancellationToken);

    private async Task<(HttpResponseMessage? Response, ApiProblem? Problem)> OpenAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            var response = await Http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return (response, null);
            }

            using (response)
            {
                return (null, await ApiProblem.ReadAsync(response, cancellationToken));
            }
        }
        catch (HttpRequestException)
        {
            return (null, ApiProblem.Unavailable("des demandes"));
        }
    }

    /// <summary><c>GET /api/v1/indicators</c>: intake limits them to the reader's scope.</summary>
    public Task<ApiResult<IndicatorsView>> IndicatorsAsync(IndicatorsQuery query, CancellationToken cancellationToken) =>
        GetAsync<IndicatorsView>("api/v1/indicators" + IndicatorsQueryString(query, csv: false), cancellationToken);

    /// <summary><c>GET /api/v1/indicators?format=csv</c>: the open response (the caller streams it and disposes it), or the problem.</summary>
    public Task<(HttpResponseMessage? Response, ApiProblem? Problem)> OpenIndicatorsCsvAsync(IndicatorsQuery query, CancellationToken cancellationToken) =>
        OpenAsync("api/v1/indicators" + IndicatorsQueryString(query, csv: true), cancellationToken);

    private static string IndicatorsQueryString(IndicatorsQuery query, bool csv) => Query(
        ("from", query.From), ("to", query.To), ("ut", query.Ut), ("collegeUai", query.CollegeUai), ("zone", query.Zone),
        ("target", query.Target), ("tool", query.Tool), ("format", csv ? "csv" : null));

    /// <summary><c>GET /api/v1/visits/sheet</c> for one collège or one UT.</summary>
    public Task<ApiResult<VisitSheetView>> VisitSheetAsync(string? collegeUai, string? ut, CancellationToken cancellationToken) =>
        GetAsync<VisitSheetView>("api/v1/visits/sheet" + Query(("collegeUai", collegeUai), ("ut", ut)), cancellationToken);

    /// <summary><c>PUT /api/v1/visits/{id}</c>: the id was chosen when the sheet was shown, so a form sent twice records one visit.</summary>
    public Task<ApiResult<VisitView>> RecordVisitAsync(Guid id, VisitSubmission visit, CancellationToken cancellationToken) =>
        SendAsync<VisitView>(() => new HttpRequestMessage(HttpMethod.Put, $"api/v1/visits/{id}") { Content = JsonContent.Create(visit, options: Json) }, cancellationToken);

    public Task<ApiResult<List<TriageItem>>> TriageAsync(int limit, CancellationToken cancellationToken) =>
        GetAsync<List<TriageItem>>($"api/v1/triage?limit={limit}", cancellationToken);

    public Task<ApiResult<TicketView>> RerouteAsync(Guid id, RerouteSubmission reroute, CancellationToken cancellationToken) =>
        PostJsonAsync<TicketView>($"api/v1/tickets/{id}/reroute", reroute, cancellationToken);

    public Task<ApiResult<ListPage<RelayItem>>> RelayAsync(string tool, string? queue, string? after, CancellationToken cancellationToken) =>
        GetAsync<ListPage<RelayItem>>("api/v1/relay" + Query(("tool", tool), ("queue", queue), ("limit", "50"), ("after", after)), cancellationToken);

    public Task<ApiResult<RelayItem>> AcknowledgeRelayAsync(Guid itemId, string? externalId, CancellationToken cancellationToken) =>
        PostJsonAsync<RelayItem>($"api/v1/relay/{itemId}/ack", new { externalId }, cancellationToken);

    public Task<ApiResult<ListPage<DeadLetter>>> DeadLettersAsync(string? after, CancellationToken cancellationToken) =>
        GetAsync<ListPage<DeadLetter>>("api/v1/admin/dead-letters" + Query(("limit", "50"), ("after", after)), cancellationToken);

    public Task<ApiResult<DeadLetter>> ReplayDeadLetterAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync<DeadLetter>(() => new HttpRequestMessage(HttpMethod.Post, $"api/v1/admin/dead-letters/{id}/replay"), cancellationToken);

    public Task<ApiResult<DeadLetter>> DiscardDeadLetterAsync(Guid id, string reason, CancellationToken cancellationToken) =>
        PostJsonAsync<DeadLetter>($"api/v1/admin/dead-letters/{id}/discard", new { reason }, cancellationToken);
}
