ALTER TABLE memberships ADD PRIMARY KEY (organization_id, user_id);
