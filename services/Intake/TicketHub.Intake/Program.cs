using TicketHub.Intake;
using TicketHub.Intake.Conversation;
using TicketHub.Intake.DeadLetters;
using TicketHub.Intake.Relay;
using TicketHub.Intake.Tickets;
using TicketHub.Intake.Triage;
using TicketHub.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseFrenchProblemDetails();
app.MapTicketsApi();
app.MapTriageApi();
app.MapCommentsApi();
app.MapExternalUpdatesApi();
app.MapRelayApi();
app.MapDeadLettersApi();
app.MapDefaultEndpoints();

app.Run();

public partial class Program;
