using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Studio.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OnlineEndpoints : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "online_endpoints",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    WorkspaceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Compute = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ClusterId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Namespace = table.Column<string>(type: "TEXT", maxLength: 63, nullable: false),
                    AuthMode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    Tags = table.Column<string>(type: "TEXT", nullable: false),
                    ProtectedPrimaryKey = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    ProtectedSecondaryKey = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    Message = table.Column<string>(type: "TEXT", maxLength: 4096, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    MirrorTraffic = table.Column<string>(type: "TEXT", nullable: false),
                    Traffic = table.Column<string>(type: "TEXT", nullable: false),
                    Transitions = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_online_endpoints", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "online_deployments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    EndpointId = table.Column<Guid>(type: "TEXT", nullable: false),
                    WorkspaceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    EndpointName = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    KubernetesName = table.Column<string>(type: "TEXT", maxLength: 63, nullable: false),
                    InstanceType = table.Column<string>(type: "TEXT", maxLength: 253, nullable: false),
                    Spec = table.Column<string>(type: "TEXT", maxLength: 65536, nullable: false),
                    Generation = table.Column<int>(type: "INTEGER", nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    Message = table.Column<string>(type: "TEXT", maxLength: 4096, nullable: true),
                    ReadyReplicas = table.Column<int>(type: "INTEGER", nullable: false),
                    DesiredReplicas = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Deadline = table.Column<long>(type: "INTEGER", nullable: true),
                    Transitions = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_online_deployments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_online_deployments_online_endpoints_EndpointId",
                        column: x => x.EndpointId,
                        principalTable: "online_endpoints",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_online_deployments_EndpointId_Name",
                table: "online_deployments",
                columns: new[] { "EndpointId", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_online_deployments_WorkspaceId_State",
                table: "online_deployments",
                columns: new[] { "WorkspaceId", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_online_endpoints_ClusterId_Name",
                table: "online_endpoints",
                columns: new[] { "ClusterId", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_online_endpoints_WorkspaceId_Name",
                table: "online_endpoints",
                columns: new[] { "WorkspaceId", "Name" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "online_deployments");

            migrationBuilder.DropTable(
                name: "online_endpoints");
        }
    }
}
