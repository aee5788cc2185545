#!/usr/bin/env node
import * as cdk from 'aws-cdk-lib';
import { BillingStack } from '../lib/billing-stack';

const app = new cdk.App();
new BillingStack(app, 'BillingStack');
