using TicketHub.Intake;
using TicketHub.Intake.Attachments;
using TicketHub.Intake.Conversation;
using TicketHub.Intake.DeadLetters;
using TicketHub.Intake.Followers;
using TicketHub.Intake.Indicators;
using TicketHub.Intake.Notifications;
using TicketHub.Intake.Relay;
using TicketHub.Intake.Tickets;
using TicketHub.Intake.Triage;
using TicketHub.Intake.Visits;
using TicketHub.ServiceDefaults;
using TicketHub.ServiceDefaults.Security;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddHubAuthentication();
builder.AddApplicationServices();

var app = builder.Build();

app.UseFrenchProblemDetails();
app.UseHubAuthentication();
app.UseRateLimiter();
app.MapTicketsApi();
app.MapAttachmentsApi();
app.MapTriageApi();
app.MapCommentsApi();
app.MapFollowersApi();
app.MapNotificationsApi();
app.MapExternalUpdatesApi();
app.MapRelayApi();
app.MapDeadLettersApi();
app.MapIndicatorsApi();
app.MapVisitsApi();
app.MapDefaultEndpoints();

app.Run();

public partial class Program;
